import { devices } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { Context } from "../context.ts";

/** Every tag carried by an active device, with how many carry it, most used first. */
export async function listDeviceTags(ctx: Context): Promise<Array<{ tag: string; deviceCount: number }>> {
  const result = await ctx.db.execute(sql`
    select t.tag, count(*)::int as device_count
    from ${devices}, unnest(${devices.tags}) as t(tag)
    where ${devices.isActive}
    group by t.tag
    order by device_count desc, t.tag asc`);
  const rows = (result as unknown as { rows: Array<{ tag: string; device_count: number | string }> }).rows;
  return rows.map((r) => ({ tag: r.tag, deviceCount: Number(r.device_count) }));
}
