import { createHash, randomBytes } from "node:crypto";

/** An invitation token: 32 random bytes, shown once; only its SHA-256 is stored. */
export function newInvitationToken(): { token: string; hash: string } {
  const token = `hpi_${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashInvitationToken(token) };
}

export const hashInvitationToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
