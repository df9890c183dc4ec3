import { z } from "zod";
import { featureRoutes, route } from "../route.ts";

const Health = z.object({
  status: z.literal("healthy"),
  service: z.string(),
  version: z.string(),
  uptime_s: z.number(),
  timestamp: z.string(),
});
const Ready = z.object({ ready: z.boolean(), database: z.enum(["up", "down"]), driver: z.string() });

const started = Date.now();
const health = async () => ({
  status: "healthy" as const,
  service: "homepot",
  version: "1.0.0",
  uptime_s: Math.round((Date.now() - started) / 1000),
  timestamp: new Date().toISOString(),
});

/** Liveness (no database) and readiness (database reachable); neither is request-logged. */
export const healthRoutes = featureRoutes(["health"], (app) => [
  ...["/health", "/api/v1/health", "/api/v1/health/health"].map((url) =>
    route.get(url, { auth: "public", response: Health }, health),
  ),

  route.get("/ready", { auth: "public", response: Ready, status: [200, 503] }, async ({ reply }) => {
    const { database } = app.deps;
    try {
      await Promise.race([
        database.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000)),
      ]);
      return { ready: true, database: "up" as const, driver: database.driver };
    } catch {
      reply.code(503);
      return { ready: false, database: "down" as const, driver: database.driver };
    }
  }),
]);
