import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";

const Health = z.object({
  status: z.literal("healthy"),
  service: z.string(),
  version: z.string(),
  uptime_s: z.number(),
  timestamp: z.string(),
});
const Ready = z.object({ ready: z.boolean(), database: z.enum(["up", "down"]), driver: z.string() });

const started = Date.now();
const health = () => ({
  status: "healthy" as const,
  service: "homepot",
  version: "1.0.0",
  uptime_s: Math.round((Date.now() - started) / 1000),
  timestamp: new Date().toISOString(),
});

/** Liveness (no database) and readiness (database reachable); neither is request-logged. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const opts = { schema: { tags: ["health"], response: { 200: Health } } };
  app.get("/health", opts, async () => health());
  app.get("/api/v1/health", opts, async () => health());
  app.get("/api/v1/health/health", opts, async () => health());
  app.get("/ready", { schema: { tags: ["health"], response: { 200: Ready, 503: Ready } } }, async (_request, reply) => {
    const { database } = app.deps;
    try {
      await Promise.race([
        database.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000)),
      ]);
      return { ready: true, database: "up" as const, driver: database.driver };
    } catch {
      return reply.code(503).send({ ready: false, database: "down" as const, driver: database.driver });
    }
  });
};
