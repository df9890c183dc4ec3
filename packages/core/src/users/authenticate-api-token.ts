import type { ApiTokenScope, Db } from "@homepot/db";
import { UnauthorizedError } from "../errors.ts";
import { apiTokenStatus, findApiTokenByHash, touchApiToken } from "./api-token.repository.ts";
import { hashSecretToken } from "./secret-token.ts";

export interface ApiTokenIdentity {
  tokenId: number;
  userId: number;
  scope: ApiTokenScope;
  /** The token's reach, when it was made for one tenant or one site (sites.id). */
  tenantId: number | null;
  siteId: number | null;
}

/**
 * The token's owner and scope, or 401 saying why (unknown, revoked, expired). The lookup is by the SHA-256 of a
 * 256-bit random secret, so comparing hashes leaks nothing an attacker could use.
 */
export async function authenticateApiToken(
  db: Db,
  token: string,
  now: Date,
  ip: string | undefined,
): Promise<ApiTokenIdentity> {
  const row = await findApiTokenByHash(db, hashSecretToken(token));
  if (!row) throw new UnauthorizedError("Invalid API token");
  const status = apiTokenStatus(row, now);
  if (status !== "active") throw new UnauthorizedError(`API token ${status}`);
  await touchApiToken(db, row.id, now, ip);
  return { tokenId: row.id, userId: row.userId, scope: row.scope, tenantId: row.tenantId, siteId: row.siteId };
}
