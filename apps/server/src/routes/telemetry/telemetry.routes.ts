import { IngestMetricsBody, IngestMetricsResult } from "@homepot/contracts/telemetry";
import { ingestMetrics } from "@homepot/core/telemetry/ingest-metrics";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

/** POST /api/v1/analytics/device-metrics: the telemetry ingest of devices (the product's hottest path). */
export const telemetryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/device-metrics",
    {
      onRequest: app.authenticateDevice,
      bodyLimit: 2 * 1024 * 1024,
      schema: { tags: ["telemetry"], body: IngestMetricsBody, response: { 201: IngestMetricsResult } },
    },
    async (request, reply) => {
      const device = request.device;
      if (!device) throw new Error("authenticateDevice guarantees a device");
      const { samples, ...single } = request.body;
      const batch = samples ?? [single];
      const { count } = await ingestMetrics(requestContext(request), device.deviceId, batch, {
        writer: app.metricsWriter,
        single: !samples,
      });
      return reply
        .code(201)
        .send({ success: true as const, message: count === 1 ? "Metrics stored" : `${count} samples stored`, count });
    },
  );
};
