import * as c from "@homepot/contracts/agent";
import { AuditLogsQuery, AuditLogsResponse } from "@homepot/contracts/analytics";
import { DeviceParams } from "@homepot/contracts/devices";
import { listAuditLogs } from "@homepot/core/analytics/list-audit-logs";
import { listDeviceJobs } from "@homepot/core/device-reports/list-device-jobs";
import { listDeviceLogs } from "@homepot/core/device-reports/list-device-logs";
import { presentDeviceJob, presentDeviceLog } from "@homepot/core/device-reports/present";
import { getDevice } from "@homepot/core/devices/get-device";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";
import { listOf } from "../list-of.ts";

const tags = ["devices"];

/** What the device page's Live logs, Audit and Jobs tabs read about one device. */
export const deviceReportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/:device_id/logs",
    {
      onRequest: app.authorize("viewer"),
      schema: {
        tags,
        summary: "The device's live log lines: newest first, or with after_id the new ones oldest first",
        params: DeviceParams,
        querystring: c.DeviceLogsQuery,
        response: { 200: c.DeviceLogsResponse },
      },
    },
    async (request) => {
      const { rows, lastId } = await listDeviceLogs(requestContext(request), request.params.device_id, request.query);
      return { success: true as const, count: rows.length, logs: rows.map(presentDeviceLog), last_id: lastId };
    },
  );

  app.get(
    "/:device_id/device-jobs",
    {
      onRequest: app.authorize("viewer"),
      schema: {
        tags,
        summary: "Work the device reported doing on its own (POST /agent/jobs), newest first",
        params: DeviceParams,
        querystring: c.DeviceJobsQuery,
        response: { 200: c.DeviceJobsResponse },
      },
    },
    async (request) => {
      const { rows, total } = await listDeviceJobs(requestContext(request), request.params.device_id, request.query);
      return { success: true as const, count: rows.length, total, jobs: rows.map(presentDeviceJob) };
    },
  );

  // The security record stays off the viewer role, as the fleet-wide audit log is admin-only.
  app.get(
    "/:device_id/audit-logs",
    {
      onRequest: app.authorize("operator"),
      schema: {
        tags,
        summary: "Audit events about the device (its commands, keys, and what it reported), newest first",
        params: DeviceParams,
        querystring: AuditLogsQuery,
        response: { 200: AuditLogsResponse },
      },
    },
    async (request) => {
      const ctx = requestContext(request);
      const device_id = request.params.device_id;
      await getDevice(ctx, device_id);
      return listOf("audit_logs", await listAuditLogs(ctx, { ...request.query, device_id }));
    },
  );
};
