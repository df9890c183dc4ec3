import * as c from "@homepot/contracts/agent";
import { AuditLogsQuery, AuditLogsResponse } from "@homepot/contracts/analytics";
import { DeviceParams } from "@homepot/contracts/devices";
import { listAuditLogs } from "@homepot/core/analytics/list-audit-logs";
import { listDeviceJobs } from "@homepot/core/device-reports/list-device-jobs";
import { listDeviceLogs } from "@homepot/core/device-reports/list-device-logs";
import { presentDeviceJob, presentDeviceLog } from "@homepot/core/device-reports/present";
import { getDevice } from "@homepot/core/devices/get-device";
import { listOf } from "../list-of.ts";
import { okList } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

const device = { params: DeviceParams } as const;

/** What the device page's Live logs, Audit and Jobs tabs read about one device. */
export const deviceReportRoutes = featureRoutes(["devices"], () => [
  route.get(
    "/:device_id/logs",
    {
      ...device,
      auth: "viewer",
      summary: "The device's live log lines: newest first, or with after_id the new ones oldest first",
      query: c.DeviceLogsQuery,
      response: c.DeviceLogsResponse,
    },
    async ({ ctx, params, query }) => {
      const { rows, lastId } = await listDeviceLogs(ctx, params.device_id, query);
      return okList("logs", rows.map(presentDeviceLog), { last_id: lastId });
    },
  ),

  route.get(
    "/:device_id/device-jobs",
    {
      ...device,
      auth: "viewer",
      summary: "Work the device reported doing on its own (POST /agent/jobs), newest first",
      query: c.DeviceJobsQuery,
      response: c.DeviceJobsResponse,
    },
    async ({ ctx, params, query }) => {
      const { rows, total } = await listDeviceJobs(ctx, params.device_id, query);
      return okList("jobs", rows.map(presentDeviceJob), { total });
    },
  ),

  // The security record stays off the viewer role, as the fleet-wide audit log is admin-only.
  route.get(
    "/:device_id/audit-logs",
    {
      ...device,
      auth: "operator",
      summary: "Audit events about the device (its commands, keys, and what it reported), newest first",
      query: AuditLogsQuery,
      response: AuditLogsResponse,
    },
    async ({ ctx, params: { device_id }, query }) => {
      await getDevice(ctx, device_id);
      return listOf("audit_logs", await listAuditLogs(ctx, { ...query, device_id }));
    },
  ),
]);
