import { users } from "@homepot/db";
import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";

/**
 * Logout: every token of the user issued before now stops working (tokens carry the user's token version; this
 * bumps it). `tokenVersion` is the one the caller's token carries, so replaying an already-revoked token is a no-op.
 */
export async function revokeUserSessions(ctx: Context, userId: number, tokenVersion: number): Promise<boolean> {
  const [row] = await ctx.db
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(and(eq(users.id, userId), eq(users.tokenVersion, tokenVersion)))
    .returning({ username: users.username });
  if (!row) return false;
  await recordAudit(ctx, { eventType: "logout", description: `User ${row.username} logged out`, userId });
  return true;
}
