import { userSessions } from "@homepot/db";
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";

/**
 * Ends one session of the caller (logout, or "sign out" on another device in the sessions list): its refresh token
 * and every access token naming it stop working. Another user's session id is a 404.
 */
export async function endSession(ctx: Context, sessionId: string, reason: "logout" | "revoked"): Promise<void> {
  const actor = ctx.actor;
  if (actor.kind !== "user") throw new ForbiddenError("Only a signed-in user has sessions");
  const [ended] = await ctx.db
    .update(userSessions)
    .set({ revokedAt: ctx.clock.now(), revokedReason: reason })
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, actor.userId), isNull(userSessions.revokedAt)))
    .returning({ id: userSessions.id });
  if (!ended) throw new NotFoundError(`session ${sessionId} not found`);
  await recordAudit(ctx, {
    eventType: reason === "logout" ? "logout" : "session_revoked",
    description:
      reason === "logout" ? `User ${actor.username} logged out` : `User ${actor.username} ended session ${sessionId}`,
    metadata: { session_id: sessionId },
  });
}
