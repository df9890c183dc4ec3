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
  const embedded = app.deps.database.driver === "pglite";
  const writer = new MetricsWriter(app.deps.database.db, app.log, { maxInFlight: embedded ? 1 : 3 });
  app.decorate("metricsWriter", writer);
  app.addHook("onClose", async () => writer.close());
}
