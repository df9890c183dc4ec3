import { type Db, devices, sites } from "@homepot/db";
import { and, eq, inArray, sql } from "drizzle-orm";

export type SiteRow = typeof sites.$inferSelect;

export async function findSiteBySiteId(db: Db, siteId: string): Promise<SiteRow | undefined> {
  const [row] = await db.select().from(sites).where(eq(sites.siteId, siteId)).limit(1);
  return row;
}

export async function countActiveDevicesOfSite(db: Db, siteId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(devices)
    .where(and(eq(devices.siteId, siteId), eq(devices.isActive, true)));
  return row?.n ?? 0;
}

/** Per site, its active devices counted by OS family (`unknown` for those that have not reported their DNA). */
export async function osMixOfSites(db: Db, siteIds: string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (siteIds.length === 0) return out;
  const family = sql<string>`coalesce(${devices.osFamily}, 'unknown')`;
  const rows = await db
    .select({ siteId: devices.siteId, family, n: sql<number>`count(*)::int` })
    .from(devices)
    .where(and(inArray(devices.siteId, siteIds), eq(devices.isActive, true)))
    .groupBy(devices.siteId, family);
  for (const r of rows) out.set(r.siteId, { ...out.get(r.siteId), [r.family]: r.n });
  return out;
}
