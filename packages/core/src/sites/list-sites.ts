import { devices, sites } from "@homepot/db";
import { and, asc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { inScope } from "../tenants/authorize.ts";
import { osMixOfSites, type SiteRow } from "./site.repository.ts";

export interface ListSitesInput {
  limit: number;
  offset: number;
  includeInactive?: boolean | undefined;
  search?: string | undefined;
  lifecycleState?: "active" | "archived" | undefined;
}

/** Sites ordered by site id, each with its number of active devices and their OS mix (from device DNA). */
export async function listSites(
  ctx: Context,
  input: ListSitesInput,
): Promise<{ total: number; sites: Array<{ site: SiteRow; deviceCount: number; osMix: Record<string, number> }> }> {
  const filters: SQL[] = [];
  if (input.lifecycleState) filters.push(eq(sites.lifecycleState, input.lifecycleState));
  else if (!input.includeInactive) filters.push(eq(sites.isActive, true));
  if (input.search) {
    const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const match = or(ilike(sites.name, pattern), ilike(sites.siteId, pattern), ilike(sites.location, pattern));
    if (match) filters.push(match);
  }
  const visible = inScope(ctx, { site: sites.siteId }, "inventory");
  if (visible) filters.push(visible);
  const where = filters.length ? and(...filters) : undefined;
  // Qualified by hand: inside a subquery drizzle prints bare column names, and a bare "site_id" would bind to devices.
  const deviceCount = sql<number>`(select count(*)::int from ${devices} d where d.site_id = "sites"."site_id" and d.is_active)`;
  const [rows, [totalRow]] = await Promise.all([
    ctx.db
      .select({ site: sites, deviceCount })
      .from(sites)
      .where(where)
      .orderBy(asc(sites.siteId))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db.select({ n: sql<number>`count(*)::int` }).from(sites).where(where),
  ]);
  const mix = await osMixOfSites(
    ctx.db,
    rows.map((r) => r.site.siteId),
  );
  return { total: totalRow?.n ?? 0, sites: rows.map((r) => ({ ...r, osMix: mix.get(r.site.siteId) ?? {} })) };
}
