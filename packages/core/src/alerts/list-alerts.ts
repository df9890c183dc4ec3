import { alerts } from "@homepot/db";
import { type SQL, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { inScope } from "../tenants/authorize.ts";
import { type AlertFilter, type AlertRow, countActiveAlerts, findAlert, listAlertRows } from "./alert.repository.ts";

export async function listAlerts(ctx: Context, input: AlertFilter & { limit: number; offset: number }) {
  return listAlertRows(ctx.db, { ...input, visible: visibleAlerts(ctx) }, input.limit, input.offset);
}

/** An alert is seen by who sees its device, or its site when it names no device (fleet-wide ones: everywhere only). */
export function visibleAlerts(ctx: Context): SQL | undefined {
  const byDevice = inScope(ctx, { device: alerts.deviceId });
  const bySite = inScope(ctx, { site: alerts.siteId });
  return byDevice && bySite ? sql`(${byDevice} or (${alerts.deviceId} is null and ${bySite}))` : undefined;
}

export async function getAlert(ctx: Context, id: number): Promise<AlertRow> {
  const alert = await findAlert(ctx.db, id);
  if (!alert) throw new NotFoundError(`Alert ${id} not found`);
  return alert;
}

/** Active alerts counted by status and severity, and per site and device (badges on the dashboard). */
export async function countAlerts(ctx: Context, filter: { siteId?: string; deviceId?: string }) {
  const rows = await countActiveAlerts(ctx.db, { ...filter, visible: visibleAlerts(ctx) });
  const out = {
    open: 0,
    acknowledged: 0,
    critical: 0,
    warning: 0,
    info: 0,
    by_site: {} as Record<string, number>,
    by_device: {} as Record<string, number>,
  };
  for (const r of rows) {
    if (r.status === "acknowledged") out.acknowledged += r.n;
    else out.open += r.n;
    if (r.severity === "critical" || r.severity === "warning" || r.severity === "info") out[r.severity] += r.n;
    if (r.siteId) out.by_site[r.siteId] = (out.by_site[r.siteId] ?? 0) + r.n;
    if (r.deviceId) out.by_device[r.deviceId] = (out.by_device[r.deviceId] ?? 0) + r.n;
  }
  return out;
}
