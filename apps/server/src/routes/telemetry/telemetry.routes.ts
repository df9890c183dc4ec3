import { IngestMetricsBody, IngestMetricsResult, isPlainSample } from "@homepot/contracts/telemetry";
import { ForbiddenError } from "@homepot/core/errors";
import { ingestMetrics } from "@homepot/core/telemetry/ingest-metrics";
import type { FastifySchemaCompiler, FastifySerializerCompiler } from "fastify";
import { type FastifyPluginAsyncZod, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

/** POST /api/v1/analytics/device-metrics: the telemetry ingest of devices (the product's hottest path). */
export const telemetryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/device-metrics",
    {
      onRequest: app.authenticateDevice,
      bodyLimit: 2 * 1024 * 1024,
      schema: { tags: ["telemetry"], body: IngestMetricsBody, response: { 201: IngestMetricsResult } },
      validatorCompiler: leanValidator,
      serializerCompiler: leanSerializer,
    },
    async (request, reply) => {
      const device = request.device;
      if (!device) throw new Error("authenticateDevice guarantees a device");
      const single = request.body;
      const samples = single.samples;
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

/**
 * The body check of the hot path: a plain single sample (what agents send) passes the precompiled check without a
 * zod parse; anything else, batches and every invalid body, goes through the schema as before (same 422s).
 */
const leanValidator: FastifySchemaCompiler<unknown> = (route) => {
  const slow = validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);
  if (route.httpPart !== "body") return slow;
  return (data: unknown) => (isPlainSample(data) ? { value: data } : slow(data));
};

const STORED_ONE = JSON.stringify({ success: true, message: "Metrics stored", count: 1 });

/** The usual answer (one sample stored) is a constant string; other answers go through the schema's serializer. */
const leanSerializer: FastifySerializerCompiler<unknown> = (route) => {
  const slow = serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);
  return (data: unknown) => {
    const d = data as { success?: unknown; message?: unknown; count?: unknown };
    return d.count === 1 && d.success === true && d.message === "Metrics stored" ? STORED_ONE : slow(data);
  };
};
