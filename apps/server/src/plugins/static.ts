import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export const webDist = fileURLToPath(new URL("../../../web/dist", import.meta.url));

declare module "fastify" {
  interface FastifyInstance {
    /** True when the built dashboard is served (its client-side routes fall back to index.html). */
    dashboardServed: boolean;
  }
}

/** Serves the built dashboard at `/`, with index.html for its client-side routes. */
export async function registerDashboard(app: FastifyInstance, root = webDist): Promise<boolean> {
  if (!existsSync(`${root}/index.html`)) return false;
  // Hashed assets never change; index.html must always be revalidated so a new build is picked up.
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    wildcard: false,
    index: ["index.html"],
    cacheControl: false,
    setHeaders(reply, path) {
      void reply.header(
        "cache-control",
        /[\\/]assets[\\/]/.test(path) ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });
  app.dashboardServed = true;
  return true;
}

/**
 * The SPA fallback, called by the one not-found handler (plugins/errors.ts): a GET for a page path (not the API,
 * not the docs, not a file) answers index.html. Returns false when the request is not a dashboard page.
 */
export function serveDashboardPage(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): boolean {
  if (!app.dashboardServed) return false;
  const path = request.url.split("?")[0] ?? "/";
  const isPage =
    (request.method === "GET" || request.method === "HEAD") &&
    !path.startsWith("/api/") &&
    path !== "/api" &&
    !path.startsWith("/docs") &&
    !/\.[a-z0-9]+$/i.test(path);
  if (!isPage) return false;
  void reply.header("cache-control", "no-cache").type("text/html").sendFile("index.html");
  return true;
}
