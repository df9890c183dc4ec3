import { createHash, randomBytes } from "node:crypto";
import { hashesEqual } from "../devices/device-key.ts";

export interface GeneratedSecret {
  secret: string;
  hash: string;
  /** The first characters, kept in clear to recognise the secret in the UI. */
  prefix: string;
}

/** Claim tokens start `hpc_`, bootstrap keys `hpb_`, so a leaked one is recognisable (secret scanners, redaction). */
export type SecretKind = "hpc_" | "hpb_";

/** 32 random bytes (base64url) behind the kind's prefix, and the SHA-256 to store (the secret has 256 bits: no slow hash needed). */
export function generateSecret(kind: SecretKind): GeneratedSecret {
  const secret = `${kind}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashSecret(secret), prefix: secret.slice(0, kind.length + 6) };
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Constant-time check of a presented secret against a stored hash (false when nothing is stored). */
export function secretMatches(presented: string, storedHash: string | null | undefined): boolean {
  const expected = Buffer.from(storedHash ?? "", "hex");
  const actual = Buffer.from(hashSecret(presented), "hex");
  // Compare even when nothing is stored, so timing does not say whether a key exists.
  return (
    hashesEqual(actual, expected.length === actual.length ? expected : Buffer.alloc(actual.length)) && !!storedHash
  );
}
