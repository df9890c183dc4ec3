import { MetricsWriter } from "@homepot/core/telemetry/metrics-writer";
import type { FastifyInstance } from "fastify";

declare module "fastify" {
  interface FastifyInstance {
    /** Group-commit writer for telemetry; pass it to `ingestMetrics(ctx, id, samples, { writer })`. */
    metricsWriter: MetricsWriter;
  }
}

/** The telemetry writer shared by the ingest route and the in-process simulator; drained on close. */
export function registerTelemetry(app: FastifyInstance): void {
  // Half the pool at most, so telemetry under load never starves the other queries; PGlite has one connection.
  const pool = app.deps.database.pool;
  const maxInFlight = pool ? Math.max(1, Math.floor((pool.options.max ?? 10) / 2)) : 1;
  const writer = new MetricsWriter(app.deps.database.db, app.log, { maxInFlight });
  app.decorate("metricsWriter", writer);
  app.addHook("onClose", async () => writer.close());
}
