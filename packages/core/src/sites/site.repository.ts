import { type Db, devices, sites } from "@homepot/db";
import { and, eq, sql } from "drizzle-orm";

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
