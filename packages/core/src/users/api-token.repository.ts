import { type ApiTokenScope, apiTokens, type Db } from "@homepot/db";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Role } from "../context.ts";

export type ApiTokenRow = typeof apiTokens.$inferSelect;
export const API_TOKEN_PREFIX = "hpt";
/** The role each scope grants at most (the owner's own role caps it further). */
export const SCOPE_ROLE: Record<ApiTokenScope, Role> = { read_only: "viewer", operator: "operator", admin: "admin" };

export async function findApiTokenByHash(db: Db, tokenHash: string): Promise<ApiTokenRow | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash)).limit(1);
  return row;
}

export async function listApiTokenRows(db: Db, userId: number): Promise<ApiTokenRow[]> {
  return db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** Stamps the last use, at most once a minute per token so a busy script does not write on every call. */
export async function touchApiToken(db: Db, id: number, now: Date, ip: string | undefined): Promise<void> {
  const staleBefore = new Date(now.getTime() - 60_000);
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now, lastUsedIp: ip?.slice(0, 45) ?? null })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, staleBefore))));
}

export function apiTokenStatus(row: ApiTokenRow, now: Date): "active" | "revoked" | "expired" {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

/** The token as the API shows it: its prefix, never the token or its hash. */
export function presentApiToken(row: ApiTokenRow, now: Date) {
  return {
    id: row.id,
    user_id: row.userId,
    name: row.name,
    scope: row.scope,
    tenant_id: row.tenantId,
    site_id: row.siteId,
    token_prefix: row.tokenPrefix,
    status: apiTokenStatus(row, now),
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    last_used_ip: row.lastUsedIp,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}
export type PresentedApiToken = ReturnType<typeof presentApiToken>;
