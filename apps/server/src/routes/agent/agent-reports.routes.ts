import * as c from "@homepot/contracts/agent";
import type { Context } from "@homepot/core";
import { ingestAgentTelemetry } from "@homepot/core/device-reports/ingest-agent-telemetry";
import { presentDeviceJob } from "@homepot/core/device-reports/present";
import { recordDeviceAudit } from "@homepot/core/device-reports/record-device-audit";
import { recordDeviceConfigChange } from "@homepot/core/device-reports/record-device-config-change";
import { recordDeviceLogs } from "@homepot/core/device-reports/record-device-logs";
import { recordHeartbeat } from "@homepot/core/device-reports/record-heartbeat";
import { reportDeviceJob } from "@homepot/core/device-reports/report-device-job";
import { updateDeviceJob } from "@homepot/core/device-reports/update-device-job";
import type { z } from "zod";
import { okStatus } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

const asList = <T>(body: T | T[]) => (Array.isArray(body) ? body : [body]);

/** A report the device posts, the server stores, and answers in words only (`message`). */
const stored = <B extends z.ZodType>(
  url: string,
  schema: B,
  store: (ctx: Context, body: z.output<B>) => Promise<unknown>,
  message: string,
) =>
  route.post(url, { auth: "device", body: schema, response: c.AgentMessageResult }, async ({ ctx, body }) => {
    await store(ctx, body);
    return okStatus({ message });
  });

/** The device reporting API (`/api/v1/agent/*`, device key): the original HOMEPOT agents' routes and bodies. */
export const agentReportRoutes = featureRoutes(["agent"], (app) => [
  route.post(
    "/heartbeat",
    { auth: "device", body: c.HeartbeatBody, response: c.HeartbeatResult },
    async ({ ctx, body }) =>
      okStatus({ message: "Heartbeat updated successfully", data: await recordHeartbeat(ctx, body) }),
  ),

  route.post(
    "/telemetry",
    { auth: "device", bodyLimit: 2 * 1024 * 1024, body: c.AgentTelemetryBody, response: c.AgentTelemetryResult },
    async ({ ctx, body }) => {
      const data = await ingestAgentTelemetry(ctx, asList(body), {
        writer: app.metricsWriter,
        single: !Array.isArray(body),
      });
      return okStatus({ message: "Telemetry saved successfully", data });
    },
  ),

  route.post("/logs", { auth: "device", body: c.AgentLogsBody, response: c.AgentLogsResult }, async ({ ctx, body }) => {
    const data = await recordDeviceLogs(ctx, asList(body));
    return okStatus({ message: data.saved_count === 1 ? "Log stored" : `${data.saved_count} log lines stored`, data });
  }),

  stored("/audit", c.AgentAuditBody, recordDeviceAudit, "Audit event stored"),

  route.post("/jobs", { auth: "device", body: c.AgentJobBody, response: c.AgentJobResult }, async ({ ctx, body }) => {
    const job = presentDeviceJob(await reportDeviceJob(ctx, body));
    const { job_id, action, status, priority, created_at } = job;
    return okStatus({ message: `Job ${job_id} recorded`, data: { job_id, action, status, priority, created_at } });
  }),

  route.put(
    "/jobs/:job_id",
    { auth: "device", params: c.AgentJobParams, body: c.AgentJobUpdateBody, response: c.AgentMessageResult },
    async ({ ctx, params, body }) => {
      await updateDeviceJob(ctx, params.job_id, body);
      return okStatus({ message: `Job updated to '${body.status}'` });
    },
  ),

  stored("/config-history", c.AgentConfigHistoryBody, recordDeviceConfigChange, "Push history record stored"),
]);
