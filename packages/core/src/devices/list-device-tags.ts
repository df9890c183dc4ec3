import { devices } from "@homepot/db";
import { type SQL, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { inScope } from "../tenants/authorize.ts";

/** `select value, device_count …` rows as values with their counts, most used first (the query orders them). */
async function counted(ctx: Context, query: SQL): Promise<Array<{ value: string; deviceCount: number }>> {
  const result = await ctx.db.execute(query);
  const rows = (result as unknown as { rows: Array<{ value: string; device_count: number | string }> }).rows;
  return rows.map((r) => ({ value: r.value, deviceCount: Number(r.device_count) }));
}

/** Every tag carried by an active device, with how many carry it, most used first. */
export async function listDeviceTags(ctx: Context): Promise<Array<{ tag: string; deviceCount: number }>> {
  const rows = await counted(
    ctx,
    sql`select t.tag as value, count(*)::int as device_count
    from ${devices}, unnest(${devices.tags}) as t(tag)
    where ${devices.isActive} and ${inScope(ctx, { site: devices.siteId }, "inventory") ?? sql`true`}
    group by t.tag
    order by device_count desc, t.tag asc`,
  );
  return rows.map((r) => ({ tag: r.value, deviceCount: r.deviceCount }));
}

/** Every segment of an active device, with how many devices are in it, largest first (alert scopes pick from it). */
export async function listDeviceSegments(ctx: Context): Promise<Array<{ segment: string; deviceCount: number }>> {
  const rows = await counted(
    ctx,
    sql`select ${devices.segment} as value, count(*)::int as device_count
    from ${devices}
    where ${devices.isActive}
    group by ${devices.segment}
    order by device_count desc, ${devices.segment} asc`,
  );
  return rows.map((r) => ({ segment: r.value, deviceCount: r.deviceCount }));
}
