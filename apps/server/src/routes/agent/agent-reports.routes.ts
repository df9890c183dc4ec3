import * as c from "@homepot/contracts/agent";
import { ingestAgentTelemetry } from "@homepot/core/device-reports/ingest-agent-telemetry";
import { presentDeviceJob } from "@homepot/core/device-reports/present";
import { recordDeviceAudit } from "@homepot/core/device-reports/record-device-audit";
import { recordDeviceConfigChange } from "@homepot/core/device-reports/record-device-config-change";
import { recordDeviceLogs } from "@homepot/core/device-reports/record-device-logs";
import { recordHeartbeat } from "@homepot/core/device-reports/record-heartbeat";
import { reportDeviceJob } from "@homepot/core/device-reports/report-device-job";
import { updateDeviceJob } from "@homepot/core/device-reports/update-device-job";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["agent"];
const ok = <T>(message: string, data: T) => ({ success: true as const, status: "success" as const, message, data });
const asList = <T>(body: T | T[]) => (Array.isArray(body) ? body : [body]);

/** The device reporting API (`/api/v1/agent/*`, device key): the original HOMEPOT agents' routes and bodies. */
export const agentReportRoutes: FastifyPluginAsyncZod = async (app) => {
  const device = app.authenticateDevice;

  app.post(
    "/heartbeat",
    { onRequest: device, schema: { tags, body: c.HeartbeatBody, response: { 200: c.HeartbeatResult } } },
    async (request) =>
      ok("Heartbeat updated successfully", await recordHeartbeat(requestContext(request), request.body)),
  );

  app.post(
    "/telemetry",
    {
      onRequest: device,
      bodyLimit: 2 * 1024 * 1024,
      schema: { tags, body: c.AgentTelemetryBody, response: { 200: c.AgentTelemetryResult } },
    },
    async (request) => {
      const data = await ingestAgentTelemetry(requestContext(request), asList(request.body), {
        writer: app.metricsWriter,
        single: !Array.isArray(request.body),
      });
      return ok("Telemetry saved successfully", data);
    },
  );

  app.post(
    "/logs",
    { onRequest: device, schema: { tags, body: c.AgentLogsBody, response: { 200: c.AgentLogsResult } } },
    async (request) => {
      const data = await recordDeviceLogs(requestContext(request), asList(request.body));
      return ok(data.saved_count === 1 ? "Log stored" : `${data.saved_count} log lines stored`, data);
    },
  );

  app.post(
    "/audit",
    { onRequest: device, schema: { tags, body: c.AgentAuditBody, response: { 200: c.AgentMessageResult } } },
    async (request) => {
      await recordDeviceAudit(requestContext(request), request.body);
      return { success: true as const, status: "success" as const, message: "Audit event stored" };
    },
  );

  app.post(
    "/jobs",
    { onRequest: device, schema: { tags, body: c.AgentJobBody, response: { 200: c.AgentJobResult } } },
    async (request) => {
      const job = presentDeviceJob(await reportDeviceJob(requestContext(request), request.body));
      const { job_id, action, status, priority, created_at } = job;
      return ok(`Job ${job_id} recorded`, { job_id, action, status, priority, created_at });
    },
  );

  app.put(
    "/jobs/:job_id",
    {
      onRequest: device,
      schema: {
        tags,
        params: c.AgentJobParams,
        body: c.AgentJobUpdateBody,
        response: { 200: c.AgentMessageResult },
      },
    },
    async (request) => {
      await updateDeviceJob(requestContext(request), request.params.job_id, request.body);
      return { success: true as const, status: "success" as const, message: `Job updated to '${request.body.status}'` };
    },
  );

  app.post(
    "/config-history",
    {
      onRequest: device,
      schema: { tags, body: c.AgentConfigHistoryBody, response: { 200: c.AgentMessageResult } },
    },
    async (request) => {
      await recordDeviceConfigChange(requestContext(request), request.body);
      return { success: true as const, status: "success" as const, message: "Push history record stored" };
    },
  );
};
