import type { DeviceMetricsQuery } from "@homepot/contracts/analytics";
import { deviceMetrics as t } from "@homepot/db";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { byTime, listRows, matching, siteFilter } from "./page.ts";
import { presentDeviceMetric } from "./present.ts";

const spec = byTime(t, { device: t.deviceId }, presentDeviceMetric);

export function listDeviceMetrics(ctx: Context, q: z.output<typeof DeviceMetricsQuery>) {
  return listRows(ctx, spec, q, [...matching(t, q, ["device_id"]), ...siteFilter(t.deviceId, q.site_id)]);
}
