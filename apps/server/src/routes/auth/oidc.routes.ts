import { OidcCallbackQuery, OidcConfigResponse, OidcLoginQuery } from "@homepot/contracts";
import { AppError, NotFoundError, signInWithOidc } from "@homepot/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import { statusOf } from "../../plugins/errors.ts";
import { ok } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";
import { FLOW_COOKIE, FLOW_TTL_S, OidcClient } from "./oidc-client.ts";
import { sessionIssuer } from "./sign-in.ts";

/** Only same-app paths after sign-in (an open redirect would hand the fresh session's page to another site). */
const safeNext = (next: string | undefined) => (next?.startsWith("/") && !next.startsWith("//") ? next : "/");
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Single sign-on with OpenID Connect (HOMEPOT_OIDC_*): config for the login page, the redirect, the callback. */
export const oidcRoutes = featureRoutes(["auth"], (app) => {
  const config = app.deps.config.oidc;
  const oidc = config ? new OidcClient(config, app.deps.config.jwtSecret) : undefined;
  const { signIn } = sessionIssuer(app);
  const limited = { rateLimit: { max: app.deps.config.production ? 20 : 60, timeWindow: "1 minute" } };
  // Lax, not strict: the provider sends the browser back with a cross-site top-level GET.
  const flowCookie = {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: app.deps.config.production,
    path: "/api/v1/auth/oidc",
  };

  const off = () => new NotFoundError("Single sign-on is not configured on this server");

  /** A browser that fails here gets the reason on a page with a way back; scripts get the usual JSON problem. */
  async function failed(request: FastifyRequest, reply: FastifyReply, error: unknown) {
    reply.clearCookie(FLOW_COOKIE, { path: flowCookie.path });
    if (!(error instanceof AppError) || !request.headers.accept?.includes("text/html")) throw error;
    return reply
      .code(statusOf(error))
      .type("text/html; charset=utf-8")
      .send(
        `<!doctype html><html lang="en"><meta charset="utf-8"><title>Sign-in failed · HOMEPOT</title>` +
          `<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>Sign-in failed</h1>` +
          `<p id="sso-error">${escapeHtml(error.message)}</p><p><a href="/login">Back to sign-in</a></p></body></html>`,
      );
  }

  return [
    route.get("/config", { auth: "public", response: OidcConfigResponse }, async () =>
      ok({
        enabled: config !== null,
        name: config?.name ?? null,
        login_url: config ? "/api/v1/auth/oidc/login" : null,
      }),
    ),

    // Both answer with a redirect (or the failure page), not JSON.
    route.get(
      "/login",
      { auth: "public", config: limited, query: OidcLoginQuery, response: null },
      async ({ query, reply }) => {
        if (!oidc) throw off();
        const { url, cookie } = await oidc.start(safeNext(query.next));
        reply.setCookie(FLOW_COOKIE, cookie, { ...flowCookie, maxAge: FLOW_TTL_S });
        return reply.redirect(url, 302);
      },
    ),

    route.get(
      "/callback",
      { auth: "public", config: limited, query: OidcCallbackQuery, response: null },
      async ({ ctx, query, request, reply }) => {
        if (!oidc || !config) throw off();
        try {
          const { identity, next } = await oidc.finish(query, request.cookies?.[FLOW_COOKIE]);
          const user = await signInWithOidc(ctx, identity, config);
          await signIn(request, reply, user);
          reply.clearCookie(FLOW_COOKIE, { path: flowCookie.path });
          return reply.redirect(next, 303);
        } catch (error) {
          return failed(request, reply, error);
        }
      },
    ),
  ];
});
