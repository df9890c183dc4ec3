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
import { COOKIE_NAME, REFRESH_COOKIE } from "../../plugins/auth.ts";
import { ok, okList, okMessage, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";
import { sessionIssuer } from "./sign-in.ts";

/** A token cannot end sessions or list them: that needs a signed-in session. */
function sessionUser(request: FastifyRequest) {
  const actor = request.actor;
  if (actor?.kind !== "user" || request.apiToken) throw new UnauthorizedError("Sign in to manage your sessions");
  return actor;
}

export const authRoutes = featureRoutes(["auth"], (app) => {
  // Credential endpoints are rate-limited per client IP against guessing and sign-up floods.
  const limited = { rateLimit: { max: app.deps.config.production ? 10 : 30, timeWindow: "1 minute" } };
  const policy = { mode: app.deps.config.signup, firstSignupAdmin: app.deps.config.firstSignupAdmin };

  const { refreshCookie, issueAccess, signIn } = sessionIssuer(app);

  return [
    route.get("/signup-info", { auth: "public", response: SignupInfoResponse }, async ({ ctx }) =>
      ok(await signupAvailability(ctx, policy)),
    ),

    ...["/signup", "/register"].map((url) =>
      route.post(
        url,
        { auth: "public", config: limited, body: SignupBody, response: SignupResponse, status: 201 },
        async ({ ctx, body, request, reply }) => {
          const user = await signUpUser(
            ctx,
            {
              email: body.email,
              password: body.password,
              username: body.username,
              fullName: body.full_name,
              inviteToken: body.invite_token,
            },
            policy,
          );
          const session = await signIn(request, reply, user);
          return okWrite("User created", { ...presentUser(user), ...session });
        },
      ),
    ),

    route.post(
      "/login",
      { auth: "public", config: limited, body: LoginBody, response: LoginResponse },
      async ({ ctx, body, request, reply }) => {
        const user = await authenticateUser(ctx, body.email, body.password);
        const session = await signIn(request, reply, user);
        return okWrite("Login successful", {
          ...session,
          username: user.username,
          email: user.email,
          role: user.role,
          is_admin: user.role === "admin",
        });
      },
    ),

    // Renews the access token with the refresh cookie (rotated on every use; a reused one ends the session).
    route.post("/refresh", { auth: "public", response: RefreshResponse }, async ({ ctx, request, reply }) => {
      const token = request.cookies?.[REFRESH_COOKIE];
      if (!token) throw new UnauthorizedError("No session to refresh; sign in");
      try {
        const refreshed = await refreshSession(ctx, token);
        const data = await issueAccess(reply, refreshed.user, refreshed.sessionId);
        if (refreshed.refreshToken)
          reply.setCookie(REFRESH_COOKIE, refreshed.refreshToken, { ...refreshCookie, expires: refreshed.expiresAt });
        return okWrite("Session refreshed", data);
      } catch (error) {
        if (error instanceof UnauthorizedError) {
          // A reuse or a sign-out ended the session: its access tokens stop at once on this instance too.
          const sessionId = parseRefreshToken(token)?.sessionId;
          if (sessionId) app.forgetSession(sessionId);
          reply.clearCookie(REFRESH_COOKIE, { path: refreshCookie.path });
        }
        throw error;
      }
    }),

    // Ends this session for good: its refresh token and every access token naming it (a copy too) stop working.
    // Signing out ends sessions; it never revokes an API token (a script calling logout ends nothing).
    route.post("/logout", { auth: "public", response: MessageResult }, async ({ ctx, request, reply }) => {
      const actor = request.actor;
      if (actor?.kind === "user" && !request.apiToken) {
        if (request.sessionId) {
          await endSession(ctx, request.sessionId, "logout").catch(() => undefined);
          app.forgetSession(request.sessionId);
        } else await revokeUserSessions(ctx, actor.userId, request.tokenVersion ?? 0);
        app.forgetUser(actor.userId);
      }
      reply.clearCookie(COOKIE_NAME, { path: "/" });
      reply.clearCookie(REFRESH_COOKIE, { path: refreshCookie.path });
      return okMessage("Logged out");
    }),

    route.post("/logout-all", { auth: "signed-in", response: MessageResult }, async ({ ctx, request, reply }) => {
      const actor = sessionUser(request);
      await revokeUserSessions(ctx, actor.userId, request.tokenVersion ?? 0);
      app.forgetUser(actor.userId);
      reply.clearCookie(COOKIE_NAME, { path: "/" });
      reply.clearCookie(REFRESH_COOKIE, { path: refreshCookie.path });
      return okMessage("Signed out everywhere");
    }),

    route.get("/sessions", { auth: "signed-in", response: SessionsResponse }, async ({ ctx, request }) => {
      sessionUser(request);
      return okList("sessions", await listSessions(ctx, request.sessionId));
    }),

    route.delete(
      "/sessions/:session_id",
      { auth: "signed-in", params: SessionIdParams, response: MessageResult },
      async ({ ctx, params, request }) => {
        sessionUser(request);
        await endSession(ctx, params.session_id, "revoked");
        app.forgetSession(params.session_id);
        return okMessage("Session ended");
      },
    ),

    route.get("/me", { auth: "signed-in", response: MeResponse }, async ({ ctx, request }) => {
      const actor = request.actor;
      if (actor?.kind !== "user") throw new Error("authorize() guarantees a user");
      const user = await getUser(ctx, actor.userId);
      // The role the dashboard builds its pages from: the highest the user holds anywhere (memberships included),
      // read afresh (a sign-in that just changed it shows at once), whatever token asked.
      const role = highestRole(await loadAccess(ctx.db, user)) ?? user.role;
      return ok({ ...presentUser(user), role });
    }),
  ];
});
