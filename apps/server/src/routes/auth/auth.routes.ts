import {
  LoginBody,
  LoginResponse,
  MeResponse,
  MessageResult,
  RefreshResponse,
  SessionIdParams,
  SessionsResponse,
  SignupBody,
  SignupInfoResponse,
  SignupResponse,
} from "@homepot/contracts";
import {
  authenticateUser,
  endSession,
  getUser,
  listSessions,
  parseRefreshToken,
  presentUser,
  refreshSession,
  revokeUserSessions,
  signUpUser,
  signupAvailability,
  UnauthorizedError,
} from "@homepot/core";
import { loadAccess } from "@homepot/core/tenants/load-access";
import { highestRole } from "@homepot/core/tenants/permissions";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { COOKIE_NAME, REFRESH_COOKIE } from "../../plugins/auth.ts";
import { requestContext } from "../../plugins/context.ts";
import { sessionIssuer } from "./sign-in.ts";

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  // Credential endpoints are rate-limited per client IP against guessing and sign-up floods.
  const limited = { rateLimit: { max: app.deps.config.production ? 10 : 30, timeWindow: "1 minute" } };
  const policy = { mode: app.deps.config.signup, firstSignupAdmin: app.deps.config.firstSignupAdmin };

  const { refreshCookie, issueAccess, signIn } = sessionIssuer(app);

  app.get("/signup-info", { schema: { tags: ["auth"], response: { 200: SignupInfoResponse } } }, async (request) => ({
    success: true as const,
    data: await signupAvailability(requestContext(request), policy),
  }));

  for (const url of ["/signup", "/register"]) {
    app.post(
      url,
      { config: limited, schema: { tags: ["auth"], body: SignupBody, response: { 201: SignupResponse } } },
      async (request, reply) => {
        const user = await signUpUser(
          requestContext(request),
          {
            email: request.body.email,
            password: request.body.password,
            username: request.body.username,
            fullName: request.body.full_name,
            inviteToken: request.body.invite_token,
          },
          policy,
        );
        const session = await signIn(request, reply, user);
        return reply
          .code(201)
          .send({ success: true as const, message: "User created", data: { ...presentUser(user), ...session } });
      },
    );
  }

  app.post(
    "/login",
    { config: limited, schema: { tags: ["auth"], body: LoginBody, response: { 200: LoginResponse } } },
    async (request, reply) => {
      const user = await authenticateUser(requestContext(request), request.body.email, request.body.password);
      const session = await signIn(request, reply, user);
      return {
        success: true as const,
        message: "Login successful",
        data: {
          ...session,
          username: user.username,
          email: user.email,
          role: user.role,
          is_admin: user.role === "admin",
        },
      };
    },
  );

  // Renews the access token with the refresh cookie (rotated on every use; a reused one ends the session).
  app.post("/refresh", { schema: { tags: ["auth"], response: { 200: RefreshResponse } } }, async (request, reply) => {
    const token = request.cookies?.[REFRESH_COOKIE];
    if (!token) throw new UnauthorizedError("No session to refresh; sign in");
    const ctx = requestContext(request);
    try {
      const refreshed = await refreshSession(ctx, token);
      const data = await issueAccess(reply, refreshed.user, refreshed.sessionId);
      if (refreshed.refreshToken)
        reply.setCookie(REFRESH_COOKIE, refreshed.refreshToken, { ...refreshCookie, expires: refreshed.expiresAt });
      return { success: true as const, message: "Session refreshed", data };
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        // A reuse or a sign-out ended the session: its access tokens stop at once on this instance too.
        const sessionId = parseRefreshToken(token)?.sessionId;
        if (sessionId) app.forgetSession(sessionId);
        reply.clearCookie(REFRESH_COOKIE, { path: refreshCookie.path });
      }
      throw error;
    }
  });

  // Ends this session for good: its refresh token and every access token naming it (a copy too) stop working.
  // Signing out ends sessions; it never revokes an API token (a script calling logout ends nothing).
  app.post("/logout", { schema: { tags: ["auth"], response: { 200: MessageResult } } }, async (request, reply) => {
    const actor = request.actor;
    if (actor?.kind === "user" && !request.apiToken) {
      const ctx = requestContext(request);
      if (request.sessionId) {
        await endSession(ctx, request.sessionId, "logout").catch(() => undefined);
        app.forgetSession(request.sessionId);
      } else await revokeUserSessions(ctx, actor.userId, request.tokenVersion ?? 0);
      app.forgetUser(actor.userId);
    }
    reply.clearCookie(COOKIE_NAME, { path: "/" });
    reply.clearCookie(REFRESH_COOKIE, { path: refreshCookie.path });
    return { success: true as const, message: "Logged out" };
  });

  const signedIn = app.authorize();
  /** A token cannot end sessions or list them: that needs a signed-in session. */
  const sessionUser = (request: FastifyRequest) => {
    const actor = request.actor;
    if (actor?.kind !== "user" || request.apiToken) throw new UnauthorizedError("Sign in to manage your sessions");
    return actor;
  };

  app.post(
    "/logout-all",
    { onRequest: signedIn, schema: { tags: ["auth"], response: { 200: MessageResult } } },
    async (request, reply) => {
      const actor = sessionUser(request);
      await revokeUserSessions(requestContext(request), actor.userId, request.tokenVersion ?? 0);
      app.forgetUser(actor.userId);
      reply.clearCookie(COOKIE_NAME, { path: "/" });
      reply.clearCookie(REFRESH_COOKIE, { path: refreshCookie.path });
      return { success: true as const, message: "Signed out everywhere" };
    },
  );

  app.get(
    "/sessions",
    { onRequest: signedIn, schema: { tags: ["auth"], response: { 200: SessionsResponse } } },
    async (request) => {
      sessionUser(request);
      const sessions = await listSessions(requestContext(request), request.sessionId);
      return { success: true as const, count: sessions.length, sessions };
    },
  );

  app.delete(
    "/sessions/:session_id",
    { onRequest: signedIn, schema: { tags: ["auth"], params: SessionIdParams, response: { 200: MessageResult } } },
    async (request) => {
      sessionUser(request);
      await endSession(requestContext(request), request.params.session_id, "revoked");
      app.forgetSession(request.params.session_id);
      return { success: true as const, message: "Session ended" };
    },
  );

  app.get(
    "/me",
    { onRequest: app.authorize(), schema: { tags: ["auth"], response: { 200: MeResponse } } },
    async (request) => {
      const actor = request.actor;
      if (actor?.kind !== "user") throw new Error("authorize() guarantees a user");
      const ctx = requestContext(request);
      const user = await getUser(ctx, actor.userId);
      // The role the dashboard builds its pages from: the highest the user holds anywhere (memberships included),
      // read afresh (a sign-in that just changed it shows at once), whatever token asked.
      const role = highestRole(await loadAccess(ctx.db, user)) ?? user.role;
      return { success: true as const, data: { ...presentUser(user), role } };
    },
  );
};
