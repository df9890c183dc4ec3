import type { DeviceStatesQuery } from "@homepot/contracts/analytics";
import { deviceStateHistory as t } from "@homepot/db";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { byTime, listRows, matching, siteFilter } from "./page.ts";
import { presentDeviceState } from "./present.ts";

const spec = byTime(t, { device: t.deviceId }, presentDeviceState);

/** State changes; `site_id` keeps the rows of that site's devices. */
export function listDeviceStates(ctx: Context, q: z.output<typeof DeviceStatesQuery>) {
  return listRows(ctx, spec, q, [
    ...matching(t, q, ["device_id", "new_state", "previous_state", "changed_by"]),
    ...siteFilter(t.deviceId, q.site_id),
  ]);
}
