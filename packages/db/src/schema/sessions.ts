import { index, integer, pgTable, varchar } from "drizzle-orm/pg-core";
import { sha256Hex, utc, utcNow } from "./columns.ts";
import { ownerUser } from "./references.ts";

/**
 * A signed-in session (one login on one browser or client): the short-lived access tokens name it (`sid`), and its
 * refresh token rotates on every use. Only the SHA-256 of the current and the previous refresh secret are kept;
 * presenting an older one is a reuse (a stolen copy) and revokes the session.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: varchar("id", { length: 32 }).primaryKey(),
    userId: ownerUser(),
    refreshHash: sha256Hex("refresh_hash").notNull(),
    /** The secret before the last rotation: a second tab that refreshed with it moments later is not a reuse. */
    previousHash: sha256Hex("previous_hash"),
    rotatedAt: utc("rotated_at"),
    rotations: integer("rotations").notNull().default(0),
    /** The user's token version at sign-in: a password reset, disabling or "sign out everywhere" bumps it. */
    tokenVersion: integer("token_version").notNull(),
    createdAt: utcNow("created_at"),
    lastUsedAt: utcNow("last_used_at"),
    /** Absolute end: refreshing never extends a session beyond this. */
    expiresAt: utc("expires_at").notNull(),
    revokedAt: utc("revoked_at"),
    revokedReason: varchar("revoked_reason", { length: 20 }),
    userAgent: varchar("user_agent", { length: 300 }),
    ip: varchar("ip", { length: 45 }),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId, t.createdAt)],
);
