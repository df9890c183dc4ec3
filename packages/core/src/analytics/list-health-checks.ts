import type { PageQuery, TimeCursorValue } from "@homepot/contracts/analytics";
import { devices, healthChecks as t } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { equalities, type ListSpec, listRows, newestFirst, when } from "./page.ts";
import { presentHealthCheck } from "./present.ts";

export interface HealthCheckFilters extends PageQuery {
  device_id?: string | undefined;
  /** Checks of the devices of this site. */
  site_id?: string | undefined;
  is_healthy?: boolean | undefined;
  status_code?: number | undefined;
}

// health_checks references devices.id; the API speaks device_id strings.
const spec: ListSpec<
  typeof t,
  TimeCursorValue,
  ReturnType<typeof presentHealthCheck>,
  { deviceCode: string | null }
> = {
  table: t,
  keyset: newestFirst(t.timestamp, t.id),
  window: t.timestamp,
  extra: {
    // Written with explicit aliases: drizzle strips the table from columns in the select list of a one-table query.
    deviceCode: sql<string | null>`(select d.device_id from devices d where d.id = health_checks.device_id)`.as(
      "device_code",
    ),
  },
  present: (row, { deviceCode }) => presentHealthCheck(row, deviceCode),
};

export function listHealthChecks(ctx: Context, q: HealthCheckFilters) {
  return listRows(ctx, spec, q, [
    ...equalities([
      [t.isHealthy, q.is_healthy],
      [t.statusCode, q.status_code],
    ]),
    ...when(
      q.device_id,
      () => sql`${t.deviceId} = (select ${devices.id} from ${devices} where ${devices.deviceId} = ${q.device_id})`,
    ),
    ...when(
      q.site_id,
      () => sql`${t.deviceId} in (select ${devices.id} from ${devices} where ${devices.siteId} = ${q.site_id})`,
    ),
  ]);
}
