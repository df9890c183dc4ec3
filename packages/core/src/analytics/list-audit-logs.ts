import type { AuditLogsQuery } from "@homepot/contracts/analytics";
import { jobs, sites, auditLogs as t } from "@homepot/db";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { usernameOf } from "../rows.ts";
import { deviceKeyIs, keyIs, listRows, matching, newestFirst } from "./page.ts";
import { presentAuditLog } from "./present.ts";

const spec = {
  table: t,
  // The analytics list is platform admins' (its route says so); a device's page reads its own rows.
  scope: { deviceKey: t.deviceId },
  keyset: newestFirst(t.createdAt, t.id),
  window: t.createdAt,
  extra: { username: usernameOf("audit_logs.user_id") },
  present: (row: typeof t.$inferSelect, { username }: { username: string | null }) => presentAuditLog(row, username),
};

/** Audit events; device_id, site_id and job_id are external ids, resolved to the integer keys audit_logs stores. */
export function listAuditLogs(ctx: Context, q: z.output<typeof AuditLogsQuery>) {
  return listRows(ctx, spec, q, [
    ...matching(t, q, ["event_type", "user_id"]),
    ...deviceKeyIs(t.deviceId, q.device_id),
    ...keyIs(t.siteId, sites.id, sites.siteId, q.site_id),
    ...keyIs(t.jobId, jobs.id, jobs.jobId, q.job_id),
  ]);
}
