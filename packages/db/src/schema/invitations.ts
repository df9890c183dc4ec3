import { index, integer, pgTable, serial, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { role, sha256Hex, utc, utcNow } from "./columns.ts";
import { users } from "./core.ts";
import { createdByUser } from "./references.ts";

/** An admin's invitation to sign up (HOMEPOT_SIGNUP=invite): the token is shown once; only its SHA-256 is kept. */
export const invitations = pgTable(
  "invitations",
  {
    id: serial("id").primaryKey(),
    tokenHash: sha256Hex("token_hash").notNull(),
    /** When set, only this address may use the invitation. */
    email: varchar("email", { length: 100 }),
    role: role().default("viewer"),
    createdBy: createdByUser(),
    createdAt: utcNow("created_at"),
    expiresAt: utc("expires_at").notNull(),
    usedAt: utc("used_at"),
    usedBy: integer("used_by").references(() => users.id),
    revokedAt: utc("revoked_at"),
  },
  (t) => [uniqueIndex("invitations_token_hash_uq").on(t.tokenHash), index("invitations_created_idx").on(t.createdAt)],
);
