import type { HealthChecksQuery, TimeCursorValue } from "@homepot/contracts/analytics";
import { devices, healthChecks as t } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { deviceKeyIs, type ListSpec, listRows, matching, newestFirst, when } from "./page.ts";
import { presentHealthCheck } from "./present.ts";

// health_checks references devices.id; the API speaks device_id strings.
const spec: ListSpec<
  typeof t,
  TimeCursorValue,
  ReturnType<typeof presentHealthCheck>,
  { deviceCode: string | null }
> = {
  table: t,
  scope: { deviceKey: t.deviceId },
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

export function listHealthChecks(ctx: Context, q: z.output<typeof HealthChecksQuery>) {
  return listRows(ctx, spec, q, [
    ...matching(t, q, ["is_healthy", "status_code"]),
    ...deviceKeyIs(t.deviceId, q.device_id),
    ...when(
      q.site_id,
      () => sql`${t.deviceId} in (select ${devices.id} from ${devices} where ${devices.siteId} = ${q.site_id})`,
    ),
  ]);
}
