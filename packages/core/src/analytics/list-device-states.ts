import type { PageQuery } from "@homepot/contracts/analytics";
import { deviceStateHistory as t } from "@homepot/db";
import type { Context } from "../context.ts";
import { equalities, listRows, newestFirst, siteFilter } from "./page.ts";
import { presentDeviceState } from "./present.ts";

export interface DeviceStateFilters extends PageQuery {
  device_id?: string | undefined;
  /** Rows of the devices of this site. */
  site_id?: string | undefined;
  new_state?: string | undefined;
  previous_state?: string | undefined;
  changed_by?: string | undefined;
}

const spec = {
  table: t,
  keyset: newestFirst(t.timestamp, t.id),
  window: t.timestamp,
  present: presentDeviceState,
};

export function listDeviceStates(ctx: Context, q: DeviceStateFilters) {
  return listRows(ctx, spec, q, [
    ...equalities([
      [t.deviceId, q.device_id],
      [t.newState, q.new_state],
      [t.previousState, q.previous_state],
      [t.changedBy, q.changed_by],
    ]),
    ...siteFilter(t.deviceId, q.site_id),
  ]);
}
