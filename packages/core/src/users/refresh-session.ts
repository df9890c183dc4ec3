import { userSessions } from "@homepot/db";
import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { UnauthorizedError } from "../errors.ts";
import { hashSecretToken } from "./secret-token.ts";
import { findSession, parseRefreshToken, sessionActive } from "./session.repository.ts";
import { newRefreshSecret } from "./start-session.ts";
import { findUserById, type UserRow } from "./user.repository.ts";

/** Two tabs refreshing with the same secret within this long is a race, not a theft. */
export const REFRESH_GRACE_MS = 30_000;

export interface RefreshedSession {
  user: UserRow;
  sessionId: string;
  /** The rotated refresh token; null when another request rotated it a moment ago (keep the cookie it set). */
  refreshToken: string | null;
  /** The session's absolute end (the refresh cookie expires then). */
  expiresAt: Date;
}

/**
 * Exchanges a refresh token for a new one (rotation) and the user to sign an access token for. A secret that was
 * already rotated away is a reuse: the whole session is revoked (audited), so a stolen copy dies with the original.
 */
export async function refreshSession(ctx: Context, token: string): Promise<RefreshedSession> {
  const parsed = parseRefreshToken(token);
  if (!parsed) throw new UnauthorizedError("Invalid refresh token");
  const now = ctx.clock.now();
  const row = await findSession(ctx.db, parsed.sessionId);
  if (!row) throw new UnauthorizedError("Invalid refresh token");
  if (!sessionActive(row, now)) throw new UnauthorizedError(row.revokedAt ? "Session ended" : "Session expired");
  const user = await findUserById(ctx.db, row.userId);
  if (!user?.isActive || user.tokenVersion !== row.tokenVersion) {
    await revoke(ctx, row.id, "signed_out");
    throw new UnauthorizedError("Session ended; sign in again");
  }
  const hash = hashSecretToken(parsed.secret);
  if (hash === row.refreshHash) {
    const next = newRefreshSecret(row.id);
    const [rotated] = await ctx.db
      .update(userSessions)
      .set({
        refreshHash: next.hash,
        previousHash: hash,
        rotatedAt: now,
        rotations: sql`${userSessions.rotations} + 1`,
        lastUsedAt: now,
        ip: ctx.actor.ip?.slice(0, 45) ?? row.ip,
      })
      .where(and(eq(userSessions.id, row.id), eq(userSessions.refreshHash, hash)))
      .returning({ id: userSessions.id });
    // Another request rotated it between our read and write: the same race as the grace case below.
    return { user, sessionId: row.id, refreshToken: rotated ? next.token : null, expiresAt: row.expiresAt };
  }
  if (hash === row.previousHash && row.rotatedAt && now.getTime() - row.rotatedAt.getTime() < REFRESH_GRACE_MS)
    return { user, sessionId: row.id, refreshToken: null, expiresAt: row.expiresAt };
  await revoke(ctx, row.id, "reuse");
  await recordAudit(ctx, {
    eventType: "session_token_reuse",
    description: `A refresh token of ${user.username} was used again after rotation: session ${row.id} revoked`,
    userId: user.id,
    metadata: { session_id: row.id, reason: "reuse" },
  });
  throw new UnauthorizedError("Refresh token reused; the session was ended for safety, sign in again");
}

async function revoke(ctx: Context, id: string, reason: string): Promise<void> {
  await ctx.db
    .update(userSessions)
    .set({ revokedAt: ctx.clock.now(), revokedReason: reason })
    .where(and(eq(userSessions.id, id), sql`${userSessions.revokedAt} is null`));
}
