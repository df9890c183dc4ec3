import { DeviceParams } from "@homepot/contracts/devices";
import { HealthCheckResult, HealthReportBody } from "@homepot/contracts/telemetry";
import { ForbiddenError } from "@homepot/core";
import { recordHealthCheck } from "@homepot/core/health/record-health-check";
import { okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

/** POST /api/v1/devices/{device_id}/health: a device reporting itself, or an operator recording a manual check. */
export const deviceHealthRoutes = featureRoutes(["devices"], () => [
  route.post(
    "/:device_id/health",
    {
      auth: { deviceOr: "operator" },
      params: DeviceParams,
      body: HealthReportBody,
      response: HealthCheckResult,
      status: 201,
    },
    async ({ ctx, params, body, request }) => {
      const deviceId = params.device_id;
      if (request.device && request.device.deviceId !== deviceId)
        throw new ForbiddenError("A device may only report its own health");
      const outcome = await recordHealthCheck(ctx, deviceId, body);
      return okWrite(outcome.isHealthy ? "Health check recorded" : "Health check recorded (unhealthy)", {
        id: outcome.id,
        device_id: outcome.deviceId,
        is_healthy: outcome.isHealthy,
        status_code: outcome.statusCode,
        response_time_ms: outcome.responseTimeMs,
        device_status: outcome.deviceStatus,
        previous_status: outcome.previousStatus,
        status_changed: outcome.statusChanged,
        timestamp: outcome.timestamp.toISOString(),
      });
    },
  ),
]);
