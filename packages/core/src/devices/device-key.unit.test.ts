import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { redactSecretString } from "../redact.ts";
import {
  checksum,
  DEVICE_KEY_LENGTH,
  generateDeviceKey,
  hashDeviceKey,
  hashDeviceKeyBytes,
  isWellFormedDeviceKey,
} from "./device-key.ts";

describe("device keys", () => {
  it("are prefixed, checksummed, unique and hashed with SHA-256", () => {
    const a = generateDeviceKey();
    const b = generateDeviceKey();
    expect(a.key).toMatch(/^hpk_[0-9A-Za-z]+$/);
    expect(a.key).toHaveLength(DEVICE_KEY_LENGTH);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).toBe(hashDeviceKey(a.key));
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(a.prefix.length).toBeLessThanOrEqual(24);
    expect(isWellFormedDeviceKey(a.key)).toBe(true);
  });

  it("rejects keys with a wrong checksum, prefix or length", () => {
    const { key } = generateDeviceKey();
    const flipped = key.slice(0, 10) + (key[10] === "a" ? "b" : "a") + key.slice(11);
    expect(isWellFormedDeviceKey(flipped)).toBe(false);
    expect(isWellFormedDeviceKey(`xpk_${key.slice(4)}`)).toBe(false);
    expect(isWellFormedDeviceKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedDeviceKey("")).toBe(false);
  });

  it("issued earlier still check out: same checksum and hash as when they were made", () => {
    // Made by an earlier build (BigInt base62 checksum, createHash): the hot path's faster code must agree.
    const issued = [
      [
        "hpk_98MuQLSR5YGHX9BWhEKuW7fcYAHjBf5gKsrBVqqWWwo1xSgNh",
        "679f09c5d2eede352b5c3d71f6fd76555db7a95cb23d0e5b75e80210cc2eef87",
      ],
      [
        "hpk_EdQ01s5ktmtS0EumNgBcvSy7MJefLYaKiV6F9j17Aqy2E1DO0",
        "94b107a6d52fe0b129132e9f5d7384820a1e5935c1e9536ea43ee2c726cc8743",
      ],
    ] as const;
    for (const [key, hash] of issued) {
      expect(isWellFormedDeviceKey(key)).toBe(true);
      expect(hashDeviceKey(key)).toBe(hash);
      expect(hashDeviceKeyBytes(key).toString("hex")).toBe(hash);
    }
  });

  it("checksums agree with a BigInt base62 of the CRC32 for any body", () => {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const reference = (crc: number) => {
      let out = "";
      for (let v = BigInt(crc); v > 0n; v /= 62n) out = alphabet[Number(v % 62n)] + out;
      return out.padStart(6, "0");
    };
    for (let i = 0; i < 2000; i++) {
      const body = generateDeviceKey().key.slice(4, 47) + String(i);
      expect(checksum(body)).toBe(reference(crc32(body)));
    }
    expect(checksum("")).toBe(reference(crc32("")));
  });

  it("are removed from free text by the redactor", () => {
    const { key } = generateDeviceKey();
    expect(redactSecretString(`oops ${key} leaked`)).not.toContain(key);
  });
});
