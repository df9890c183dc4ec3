import {
  LoginBody,
  LoginResponse,
  MeResponse,
  MessageResult,
  SignupBody,
  SignupInfoResponse,
  SignupResponse,
} from "@homepot/contracts";
import {
  authenticateUser,
  getUser,
  presentUser,
  revokeUserSessions,
  signUpUser,
  signupAvailability,
  type UserRow,
} from "@homepot/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { COOKIE_NAME } from "../../plugins/auth.ts";
import { requestContext } from "../../plugins/context.ts";

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  // Credential endpoints are rate-limited per client IP against guessing and sign-up floods.
  const limited = { rateLimit: { max: app.deps.config.production ? 10 : 30, timeWindow: "1 minute" } };
  const policy = { mode: app.deps.config.signup, firstSignupAdmin: app.deps.config.firstSignupAdmin };

  /** Issues the session: token, httpOnly cookie, and the request now acts as that user. */
  async function startSession(request: FastifyRequest, reply: FastifyReply, user: UserRow) {
    const token = await app.tokens.sign(user);
    request.actor = {
      kind: "user",
      userId: user.id,
      email: user.email,
      username: user.username,
      role: user.role,
      ip: request.ip,
      userAgent: request.headers["user-agent"],
    };
    reply.setCookie(COOKIE_NAME, token, {
      httpOnly: true,
      sameSite: "lax",
      secure: app.deps.config.production,
      path: "/",
      maxAge: app.tokens.ttlS,
    });
    return { access_token: token, token_type: "bearer" as const, expires_in: app.tokens.ttlS };
  }

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
        const session = await startSession(request, reply, user);
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
      const session = await startSession(request, reply, user);
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

  // Ends the session for good: the token's version is bumped, so a copy of the token no longer works either.
  app.post("/logout", { schema: { tags: ["auth"], response: { 200: MessageResult } } }, async (request, reply) => {
    const actor = request.actor;
    // Signing out ends sessions; it never revokes an API token (a script calling logout ends nothing).
    if (actor?.kind === "user" && !request.apiToken) {
      await revokeUserSessions(requestContext(request), actor.userId, request.tokenVersion ?? 0);
      app.forgetUser(actor.userId);
    }
    reply.clearCookie(COOKIE_NAME, { path: "/" });
    return { success: true as const, message: "Logged out" };
  });

  app.get(
    "/me",
    { onRequest: app.authorize("viewer"), schema: { tags: ["auth"], response: { 200: MeResponse } } },
    async (request) => {
      const actor = request.actor;
      if (actor?.kind !== "user") throw new Error("authorize() guarantees a user");
      const user = await getUser(requestContext(request), actor.userId);
      return { success: true as const, data: presentUser(user) };
    },
  );
};
