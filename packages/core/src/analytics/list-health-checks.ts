import type { PageQuery } from "@homepot/contracts/analytics";
import { devices, healthChecks } from "@homepot/db";
import { and, eq, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { countWhere, cursorTime, equalities, finishPage, pageConditions, pageOrder } from "./page.ts";

export interface HealthCheckFilters extends PageQuery {
  device_id?: string | undefined;
  /** Checks of the devices of this site. */
  site_id?: string | undefined;
  is_healthy?: boolean | undefined;
  status_code?: number | undefined;
}

const t = healthChecks;

export async function listHealthChecks(ctx: Context, q: HealthCheckFilters) {
  const where = [
    ...equalities([
      [t.isHealthy, q.is_healthy],
      [t.statusCode, q.status_code],
    ]),
    // health_checks references devices.id; the API speaks device_id strings.
    ...(q.device_id
      ? [sql`${t.deviceId} = (select ${devices.id} from ${devices} where ${devices.deviceId} = ${q.device_id})`]
      : []),
    ...(q.site_id
      ? [sql`${t.deviceId} in (select ${devices.id} from ${devices} where ${devices.siteId} = ${q.site_id})`]
      : []),
    ...pageConditions(t.timestamp, t.id, q),
  ];
  const rows = await ctx.db
    .select({ row: t, deviceCode: devices.deviceId, cursorTs: cursorTime(t.timestamp) })
    .from(t)
    .leftJoin(devices, eq(devices.id, t.deviceId))
    .where(and(...where))
    .orderBy(...pageOrder(t.timestamp, t.id))
    .limit(q.limit)
    .offset(q.offset);
  const withCode = rows.map((r) => ({ row: { ...r.row, deviceCode: r.deviceCode }, cursorTs: r.cursorTs }));
  return finishPage(withCode, q, presentHealthCheck, () => countWhere(ctx.db, t, where));
}

export function presentHealthCheck(r: typeof healthChecks.$inferSelect & { deviceCode: string | null }) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    device_id: r.deviceCode,
    device_pk: r.deviceId,
    is_healthy: r.isHealthy,
    response_time_ms: r.responseTimeMs,
    status_code: r.statusCode,
    endpoint: r.endpoint,
    response_data: r.responseData,
    error_message: r.errorMessage,
  };
}
