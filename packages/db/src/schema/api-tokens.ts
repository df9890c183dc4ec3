import { index, integer, pgTable, serial, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { sha256Hex, utc, utcNow } from "./columns.ts";
import { ownerUser } from "./references.ts";

export type ApiTokenScope = "read_only" | "operator" | "admin";

/**
 * A user's named API token for scripts and integrations (`Authorization: Bearer hpt_…`): shown once, only its
 * SHA-256 kept. It acts as its user with at most `scope`'s role, until it expires or is revoked.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serial("id").primaryKey(),
    userId: ownerUser(),
    name: varchar("name", { length: 100 }).notNull(),
    tokenHash: sha256Hex("token_hash").notNull(),
    /** The first characters of the token, so its owner can tell tokens apart. */
    tokenPrefix: varchar("token_prefix", { length: 16 }).notNull(),
    scope: varchar("scope", { length: 16 }).$type<ApiTokenScope>().notNull(),
    createdAt: utcNow("created_at"),
    expiresAt: utc("expires_at").notNull(),
    lastUsedAt: utc("last_used_at"),
    lastUsedIp: varchar("last_used_ip", { length: 45 }),
    revokedAt: utc("revoked_at"),
    /** Optional reach: the token acts only inside this tenant (tenants.id) and/or this site (sites.id). */
    tenantId: integer("tenant_id"),
    siteId: integer("site_id"),
  },
  (t) => [uniqueIndex("api_tokens_token_hash_uq").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);
