import type { JobOutcomesQuery } from "@homepot/contracts/analytics";
import { jobOutcomes as t } from "@homepot/db";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { byTime, listRows, matching, siteFilter } from "./page.ts";
import { presentJobOutcome } from "./present.ts";

const spec = byTime(t, { device: t.deviceId }, presentJobOutcome);

/** Job outcomes per device; `site_id` keeps the rows of that site's devices. */
export function listJobOutcomes(ctx: Context, q: z.output<typeof JobOutcomesQuery>) {
  const fields = ["job_id", "job_type", "device_id", "status", "initiated_by"] as const;
  return listRows(ctx, spec, q, [...matching(t, q, fields), ...siteFilter(t.deviceId, q.site_id)]);
}
