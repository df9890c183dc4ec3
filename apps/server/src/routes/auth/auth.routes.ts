import { LoginBody, LoginResponse, MeResponse, MessageResult, SignupBody, SignupResponse } from "@homepot/contracts";
import { authenticateUser, createUser, getUser, presentUser } from "@homepot/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { COOKIE_NAME } from "../../plugins/auth.ts";
import { requestContext } from "../../plugins/context.ts";

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  // Credential endpoints are rate-limited per client IP against guessing and sign-up floods.
  const limited = { rateLimit: { max: app.deps.config.production ? 10 : 30, timeWindow: "1 minute" } };

  for (const url of ["/signup", "/register"]) {
    app.post(
      url,
      { config: limited, schema: { tags: ["auth"], body: SignupBody, response: { 201: SignupResponse } } },
      async (request, reply) => {
        const user = await createUser(requestContext(request), {
          email: request.body.email,
          password: request.body.password,
          username: request.body.username,
          fullName: request.body.full_name,
        });
        return reply.code(201).send({ success: true as const, message: "User created", data: presentUser(user) });
      },
    );
  }

  app.post(
    "/login",
    { config: limited, schema: { tags: ["auth"], body: LoginBody, response: { 200: LoginResponse } } },
    async (request, reply) => {
      const user = await authenticateUser(requestContext(request), request.body.email, request.body.password);
      const token = await app.tokens.sign(user);
      request.actor = {
        kind: "user",
        userId: user.id,
        email: user.email,
        username: user.username,
        role: user.role,
        ip: request.ip,
      };
      reply.setCookie(COOKIE_NAME, token, {
        httpOnly: true,
        sameSite: "lax",
        secure: app.deps.config.production,
        path: "/",
        maxAge: app.tokens.ttlS,
      });
      return {
        success: true as const,
        message: "Login successful",
        data: {
          access_token: token,
          token_type: "bearer" as const,
          expires_in: app.tokens.ttlS,
          username: user.username,
          email: user.email,
          role: user.role,
          is_admin: user.role === "admin",
        },
      };
    },
  );

  app.post("/logout", { schema: { tags: ["auth"], response: { 200: MessageResult } } }, async (_request, reply) => {
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
