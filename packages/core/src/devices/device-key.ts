import { createHash, hash, randomBytes, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";

/** Every device key starts with this, so a leaked key is recognisable (secret scanners, redaction). */
export const DEVICE_KEY_PREFIX = "hpk_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LENGTH = 43; // 32 random bytes in base62
const CHECKSUM_LENGTH = 6; // CRC32 of the body in base62
export const DEVICE_KEY_LENGTH = DEVICE_KEY_PREFIX.length + BODY_LENGTH + CHECKSUM_LENGTH;
/** How much of a key is kept in clear (devices.api_key_prefix) to recognise it in the UI. */
const VISIBLE_PREFIX_LENGTH = DEVICE_KEY_PREFIX.length + 8;

function base62(value: bigint, width: number): string {
  let out = "";
  let v = value;
  while (v > 0n) {
    out = ALPHABET[Number(v % 62n)] + out;
    v /= 62n;
  }
  return out.padStart(width, "0");
}

/** The CRC32 of the body in base62, with plain numbers (a CRC32 is exact in a double): it runs on every device request. */
export function checksum(body: string): string {
  let v = crc32(body);
  let out = "";
  while (v > 0) {
    out = ALPHABET[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(CHECKSUM_LENGTH, "0");
}

export interface GeneratedKey {
  key: string;
  hash: string;
  prefix: string;
}

/** A new device key: `hpk_` + 32 random bytes (base62) + a CRC32 checksum, and the hash to store. */
export function generateDeviceKey(): GeneratedKey {
  const body = base62(BigInt(`0x${randomBytes(32).toString("hex")}`), BODY_LENGTH);
  const key = `${DEVICE_KEY_PREFIX}${body}${checksum(body)}`;
  return { key, hash: hashDeviceKey(key), prefix: key.slice(0, VISIBLE_PREFIX_LENGTH) };
}

/**
 * True when `key` has the shape and checksum of a device key: garbage is rejected without touching
 * the database or the cache.
 */
export function isWellFormedDeviceKey(key: string): boolean {
  if (key.length !== DEVICE_KEY_LENGTH || !key.startsWith(DEVICE_KEY_PREFIX)) return false;
  const body = key.slice(DEVICE_KEY_PREFIX.length, DEVICE_KEY_PREFIX.length + BODY_LENGTH);
  if (!/^[0-9A-Za-z]+$/.test(body)) return false;
  return checksum(body) === key.slice(DEVICE_KEY_PREFIX.length + BODY_LENGTH);
}

/**
 * SHA-256 (hex) of a key. A fast hash is right here: the key carries 256 bits of entropy, so there is
 * nothing to brute-force, and a slow hash on every device request would cap ingest.
 */
export function hashDeviceKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The same hash as bytes (no hex round trip on the hot path; the one-shot `hash` makes no Hash object). */
export function hashDeviceKeyBytes(key: string): Buffer {
  return hash("sha256", key, "buffer");
}

/** Constant-time comparison of two hex hashes. */
export function hashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
