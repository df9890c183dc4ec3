import type { Context, Permission, Role } from "@homepot/core";
import type {
  FastifyContextConfig,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  HTTPMethods,
  onRequestHookHandler,
} from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
import { requestContext } from "../plugins/context.ts";

type App = Parameters<FastifyPluginAsyncZod>[0];
type Schema = z.ZodType;
/** What a route without params, query or body is given for them. */
type None = z.ZodUndefined;

/**
 * Who may call a route: users holding a role or permission somewhere (`app.authorize`), any signed-in user, the
 * device itself (X-Device-ID + X-API-Key), the device or a user of a role, or anyone.
 */
export type Guard = Role | Permission | "signed-in" | "device" | { deviceOr: Role } | "public";

/** A route's contract: its guard and the zod schemas that validate it, type its handler and make its OpenAPI entry. */
export interface RouteSpec<P, Q, B, R, H = None> {
  auth: Guard;
  summary?: string;
  description?: string;
  params?: P;
  query?: Q;
  headers?: H;
  body?: B;
  /**
   * The JSON answer's schema; `null` for a route that answers otherwise (a stream, a redirect, a file): its handler
   * sends the answer itself and returns the reply.
   */
  response: R;
  /**
   * The success status (default 200), set once the handler has answered; several when the handler picks one of them
   * itself with `reply.code`.
   */
  status?: number | readonly number[];
  config?: FastifyContextConfig;
  /** The largest body the route takes, when not the app's. */
  bodyLimit?: number;
}

/** What a handler gets: the request's use-case context and its validated params, query, headers and body. */
export interface RouteCall<P extends Schema, Q extends Schema, B extends Schema, H extends Schema = None> {
  ctx: Context;
  params: z.output<P>;
  query: z.output<Q>;
  headers: z.output<H>;
  body: z.output<B>;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** What a handler returns: the response schema's type, or the reply it sent itself when the route has none. */
type Answer<R> = R extends Schema ? z.output<R> : FastifyReply;

/** One route, ready to be added to a feature's plugin under the feature's OpenAPI tags. */
export type Route = (app: App, tags: readonly string[]) => void;

function guardOf(app: App, auth: Guard): onRequestHookHandler | undefined {
  if (auth === "public") return undefined;
  if (auth === "signed-in") return app.authorize();
  if (auth === "device") return app.authenticateDevice;
  if (typeof auth === "object") return app.authenticateDeviceOr(auth.deviceOr);
  return app.authorize(auth);
}

function define(method: HTTPMethods) {
  return <
    P extends Schema = None,
    Q extends Schema = None,
    B extends Schema = None,
    R extends Schema | null = Schema,
    H extends Schema = None,
  >(
    url: string,
    spec: RouteSpec<P, Q, B, R, H>,
    handler: (call: RouteCall<P, Q, B, H>) => Promise<NoInfer<Answer<R>>>,
  ): Route =>
    (app, tags) => {
      const statuses = typeof spec.status === "number" ? [spec.status] : (spec.status ?? [200]);
      const onRequest = guardOf(app, spec.auth);
      // Typed as Fastify's plain schema: the handler's types come from the zod schemas through RouteCall instead.
      const schema: FastifySchema = {
        tags: [...tags],
        ...(spec.summary ? { summary: spec.summary } : {}),
        ...(spec.description ? { description: spec.description } : {}),
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { querystring: spec.query } : {}),
        ...(spec.headers ? { headers: spec.headers } : {}),
        ...(spec.body ? { body: spec.body } : {}),
        ...(spec.response ? { response: Object.fromEntries(statuses.map((status) => [status, spec.response])) } : {}),
      };
      app.route({
        method,
        url,
        ...(onRequest ? { onRequest } : {}),
        ...(spec.config ? { config: spec.config } : {}),
        ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
        schema,
        handler: async (request, reply) => {
          // The schemas above validated these before the handler runs.
          const answer = await handler({
            ctx: requestContext(request),
            params: request.params as z.output<P>,
            query: request.query as z.output<Q>,
            headers: request.headers as z.output<H>,
            body: request.body as z.output<B>,
            request,
            reply,
          });
          const [only, ...others] = statuses;
          if (only !== undefined && only !== 200 && others.length === 0) reply.code(only);
          return answer;
        },
      });
    };
}

/** Route definitions by method: `route.get(url, spec, handler)`. */
export const route = {
  get: define("GET"),
  post: define("POST"),
  put: define("PUT"),
  patch: define("PATCH"),
  delete: define("DELETE"),
};

/**
 * A feature's routes as a Fastify plugin: `build` lists them in order (after setting up what they share, from the
 * app it is given), and each is registered under the feature's OpenAPI `tags`.
 */
export function featureRoutes(tags: readonly string[], build: (app: App) => Route[]): FastifyPluginAsyncZod {
  return async (app) => {
    for (const add of build(app)) add(app, tags);
  };
}
