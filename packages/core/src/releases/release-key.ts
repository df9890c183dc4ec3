import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { privateDir } from "../config.ts";

export interface ReleaseKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
}

/** First 16 hex of the SHA-256 of the public key's DER: a short name for a key. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex")
    .slice(0, 16);
}

/**
 * The server's Ed25519 release key: the PEM file given (HOMEPOT_RELEASE_KEY) or `<data dir>/release-key.pem`,
 * generated (0600) on first use.
 */
export function loadReleaseKey(dataDir: string, file?: string): ReleaseKey {
  const path = file ?? join(dataDir, "release-key.pem");
  if (!file && !existsSync(path)) {
    privateDir(dataDir);
    const { privateKey } = generateKeyPairSync("ed25519");
    try {
      writeFileSync(path, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
      chmodSync(path, 0o600);
    } catch (error) {
      // Another instance on the same data dir wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  const privateKey = createPrivateKey(readFileSync(path, "utf8"));
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`${path} is not an Ed25519 private key`);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/** Ed25519 signature (base64) of `text`. */
export const signText = (key: KeyObject, text: string): string => sign(null, Buffer.from(text), key).toString("base64");

/** True when `signature` (base64) is `publicKeyPem`'s Ed25519 signature of `text`; false for any malformed input. */
export function verifyText(publicKeyPem: string, text: string, signature: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== "ed25519") return false;
    return verify(null, Buffer.from(text), key, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/** The same key in canonical PEM (so a trusted key matches however it was wrapped), or undefined if unreadable. */
export function canonicalPublicKey(pem: string): string | undefined {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== "ed25519") return undefined;
    return key.export({ type: "spki", format: "pem" }).toString();
  } catch {
    return undefined;
  }
}

/** Public keys (PEM blocks) in a trusted-keys file (HOMEPOT_RELEASE_TRUSTED_KEYS); a bad block stops the start. */
export function readTrustedKeys(file: string | undefined): string[] {
  if (!file) return [];
  const text = readFileSync(file, "utf8");
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  return blocks.map((block, i) => {
    const key = canonicalPublicKey(block);
    if (!key) throw new Error(`${file}: key ${i + 1} is not an Ed25519 public key`);
    return key;
  });
}
