import { userSessions, users } from "@homepot/db";
import { and, eq, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";

/**
 * Sign out everywhere: every session and every token of the user issued before now stop working (tokens and
 * sessions carry the user's token version; this bumps it, and marks the sessions ended). `tokenVersion` is the one the caller's token carries, so replaying an already-revoked token is a no-op.
 */
export async function revokeUserSessions(ctx: Context, userId: number, tokenVersion: number): Promise<boolean> {
  const [row] = await ctx.db
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(and(eq(users.id, userId), eq(users.tokenVersion, tokenVersion)))
    .returning({ username: users.username });
  if (!row) return false;
  await ctx.db
    .update(userSessions)
    .set({ revokedAt: ctx.clock.now(), revokedReason: "signed_out" })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt)));
  await recordAudit(ctx, {
    eventType: "logout",
    description: `User ${row.username} signed out everywhere`,
    userId,
    metadata: { everywhere: true },
  });
  return true;
}
