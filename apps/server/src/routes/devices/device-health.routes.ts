import { DeviceParams } from "@homepot/contracts/devices";
import { HealthCheckResult, HealthReportBody } from "@homepot/contracts/telemetry";
import { ForbiddenError } from "@homepot/core";
import { recordHealthCheck } from "@homepot/core/health/record-health-check";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

/** POST /api/v1/devices/{device_id}/health: a device reporting itself, or an operator recording a manual check. */
export const deviceHealthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/:device_id/health",
    {
      onRequest: app.authenticateDeviceOr("operator"),
      schema: { tags: ["devices"], params: DeviceParams, body: HealthReportBody, response: { 201: HealthCheckResult } },
    },
    async (request, reply) => {
      const deviceId = request.params.device_id;
      if (request.device && request.device.deviceId !== deviceId)
        throw new ForbiddenError("A device may only report its own health");
      const outcome = await recordHealthCheck(requestContext(request), deviceId, request.body);
      return reply.code(201).send({
        success: true as const,
        message: outcome.isHealthy ? "Health check recorded" : "Health check recorded (unhealthy)",
        data: {
          id: outcome.id,
          device_id: outcome.deviceId,
          is_healthy: outcome.isHealthy,
          status_code: outcome.statusCode,
          response_time_ms: outcome.responseTimeMs,
          device_status: outcome.deviceStatus,
          previous_status: outcome.previousStatus,
          status_changed: outcome.statusChanged,
          timestamp: outcome.timestamp.toISOString(),
        },
      });
    },
  );
};
