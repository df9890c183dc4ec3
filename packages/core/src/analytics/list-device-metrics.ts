import type { PageQuery } from "@homepot/contracts/analytics";
import { deviceMetrics as t } from "@homepot/db";
import type { Context } from "../context.ts";
import { equalities, listRows, newestFirst, siteFilter } from "./page.ts";
import { presentDeviceMetric } from "./present.ts";

export interface DeviceMetricFilters extends PageQuery {
  device_id?: string | undefined;
  site_id?: string | undefined;
}

const spec = {
  table: t,
  keyset: newestFirst(t.timestamp, t.id),
  window: t.timestamp,
  present: presentDeviceMetric,
};

export function listDeviceMetrics(ctx: Context, q: DeviceMetricFilters) {
  return listRows(ctx, spec, q, [...equalities([[t.deviceId, q.device_id]]), ...siteFilter(t.deviceId, q.site_id)]);
}
