import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

export const webDist = fileURLToPath(new URL("../../../web/dist", import.meta.url));

/** Serves the built dashboard at `/`, with index.html for its client-side routes. */
export async function registerDashboard(app: FastifyInstance, root = webDist): Promise<boolean> {
  if (!existsSync(`${root}/index.html`)) return false;
  await app.register(fastifyStatic, { root, prefix: "/", wildcard: false, index: ["index.html"] });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const isPage = request.method === "GET" && !path.startsWith("/api/") && !path.startsWith("/docs") && !/\.[a-z0-9]+$/i.test(path);
    if (isPage) return reply.type("text/html").sendFile("index.html");
    return reply.code(404).send({ detail: `Not found: ${request.method} ${path}` });
  });
  return true;
}
