import type { PageQuery } from "@homepot/contracts/analytics";
import { deviceStateHistory } from "@homepot/db";
import { and } from "drizzle-orm";
import type { Context } from "../context.ts";
import { countWhere, cursorTime, equalities, finishPage, pageConditions, pageOrder, siteFilter } from "./page.ts";

export interface DeviceStateFilters extends PageQuery {
  device_id?: string | undefined;
  /** Rows of the devices of this site. */
  site_id?: string | undefined;
  new_state?: string | undefined;
  previous_state?: string | undefined;
  changed_by?: string | undefined;
}

const t = deviceStateHistory;

export async function listDeviceStates(ctx: Context, q: DeviceStateFilters) {
  const where = [
    ...equalities([
      [t.deviceId, q.device_id],
      [t.newState, q.new_state],
      [t.previousState, q.previous_state],
      [t.changedBy, q.changed_by],
    ]),
    ...siteFilter(t.deviceId, q.site_id),
    ...pageConditions(t.timestamp, t.id, q),
  ];
  const rows = await ctx.db
    .select({ row: t, cursorTs: cursorTime(t.timestamp) })
    .from(t)
    .where(and(...where))
    .orderBy(...pageOrder(t.timestamp, t.id))
    .limit(q.limit)
    .offset(q.offset);
  return finishPage(rows, q, presentDeviceState, () => countWhere(ctx.db, t, where));
}

export function presentDeviceState(r: typeof deviceStateHistory.$inferSelect) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    device_id: r.deviceId,
    previous_state: r.previousState,
    new_state: r.newState,
    changed_by: r.changedBy,
    reason: r.reason,
    extra_data: r.extraData,
  };
}
