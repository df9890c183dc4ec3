import { randomBytes } from "node:crypto";
import { userSessions } from "@homepot/db";
import type { Context } from "../context.ts";
import { hashSecretToken } from "./secret-token.ts";
import { REFRESH_TOKEN_PREFIX } from "./session.repository.ts";
import type { UserRow } from "./user.repository.ts";

export interface StartedSession {
  sessionId: string;
  refreshToken: string;
  expiresAt: Date;
}

/** A fresh refresh secret for `sessionId`: the token handed out and the hash kept. */
export function newRefreshSecret(sessionId: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString("base64url");
  return { token: `${REFRESH_TOKEN_PREFIX}_${sessionId}.${secret}`, hash: hashSecretToken(secret) };
}

/** A sign-in starts a session that lives `ttlDays` at most, however often it is refreshed. */
export async function startSession(
  ctx: Context,
  user: Pick<UserRow, "id" | "tokenVersion">,
  ttlDays: number,
): Promise<StartedSession> {
  const sessionId = randomBytes(12).toString("hex");
  const { token, hash } = newRefreshSecret(sessionId);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000);
  await ctx.db.insert(userSessions).values({
    id: sessionId,
    userId: user.id,
    refreshHash: hash,
    tokenVersion: user.tokenVersion,
    createdAt: now,
    lastUsedAt: now,
    expiresAt,
    userAgent: ctx.actor.userAgent?.slice(0, 300) ?? null,
    ip: ctx.actor.ip?.slice(0, 45) ?? null,
  });
  return { sessionId, refreshToken: token, expiresAt };
}
