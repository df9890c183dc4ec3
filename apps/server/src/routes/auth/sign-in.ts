import { startSession, type UserRow } from "@homepot/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { COOKIE_NAME, REFRESH_COOKIE } from "../../plugins/auth.ts";
import { requestContext } from "../../plugins/context.ts";

/**
 * How every sign-in (password, sign-up, single sign-on) ends: a session whose rotating refresh token goes only into
 * an httpOnly, SameSite=strict cookie scoped to /api/v1/auth, and a short-lived access token.
 */
export function sessionIssuer(app: FastifyInstance) {
  const refreshCookie = {
    httpOnly: true,
    sameSite: "strict" as const,
    secure: app.deps.config.production,
    path: "/api/v1/auth",
  };

  /** A short-lived access token for the session, as the answer's token and as the httpOnly cookie. */
  async function issueAccess(reply: FastifyReply, user: UserRow, sessionId: string) {
    const token = await app.tokens.sign(user, sessionId);
    reply.setCookie(COOKIE_NAME, token, {
      httpOnly: true,
      sameSite: "lax",
      secure: app.deps.config.production,
      path: "/",
      maxAge: app.tokens.ttlS,
    });
    return { access_token: token, token_type: "bearer" as const, expires_in: app.tokens.ttlS };
  }

  /** Starts a session for `user` (now the request's actor) and sets its cookies; answers the access token. */
  async function signIn(request: FastifyRequest, reply: FastifyReply, user: UserRow) {
    request.actor = {
      kind: "user",
      userId: user.id,
      email: user.email,
      username: user.username,
      role: user.role,
      ip: request.ip,
      userAgent: request.headers["user-agent"],
    };
    const session = await startSession(requestContext(request), user, app.deps.config.sessionTtlDays);
    const access = await issueAccess(reply, user, session.sessionId);
    reply.setCookie(REFRESH_COOKIE, session.refreshToken, { ...refreshCookie, expires: session.expiresAt });
    return access;
  }

  return { refreshCookie, issueAccess, signIn };
}
