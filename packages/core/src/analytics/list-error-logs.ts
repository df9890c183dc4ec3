import type { ErrorLogsQuery } from "@homepot/contracts/analytics";
import { errorLogs as t } from "@homepot/db";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { byTime, listRows, matching, siteFilter } from "./page.ts";
import { presentErrorLog } from "./present.ts";

const spec = byTime(t, { device: t.deviceId }, presentErrorLog);

/** Error logs; `site_id` keeps the rows of that site's devices. */
export function listErrorLogs(ctx: Context, q: z.output<typeof ErrorLogsQuery>) {
  const fields = ["category", "severity", "error_code", "resolved", "device_id", "user_id", "endpoint"] as const;
  return listRows(ctx, spec, q, [...matching(t, q, fields), ...siteFilter(t.deviceId, q.site_id)]);
}
