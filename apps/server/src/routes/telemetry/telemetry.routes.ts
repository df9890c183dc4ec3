import { IngestMetricsBody, IngestMetricsResult } from "@homepot/contracts/telemetry";
import { ForbiddenError } from "@homepot/core/errors";
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
      // A batch's top-level device_id is checked like each sample's: a mismatch is 403, never ignored.
      const batch = samples ?? [single];
      if (samples && single.device_id !== undefined && single.device_id !== device.deviceId)
        throw new ForbiddenError(
          `device_id ${single.device_id} does not match the authenticated device ${device.deviceId}`,
        );
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
