import { createHash, randomBytes } from "node:crypto";

/** A bearer secret (`<prefix>_` + 32 random bytes), shown once; only its SHA-256 is stored. */
export function newSecretToken(prefix: string): { token: string; hash: string } {
  const token = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashSecretToken(token) };
}

/** SHA-256 is enough for 256-bit random secrets: there is nothing to guess, so no slow hash is needed. */
export const hashSecretToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
