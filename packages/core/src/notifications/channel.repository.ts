import type { DeliveryStatusValue } from "@homepot/contracts/notifications";
import { type Db, notificationChannels, notificationDeliveries, sites } from "@homepot/db";
import { and, asc, count, desc, eq, inArray, lte, type SQL } from "drizzle-orm";

export type ChannelRow = typeof notificationChannels.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type DeliveryInsert = typeof notificationDeliveries.$inferInsert;

export async function listChannelRows(db: Db): Promise<ChannelRow[]> {
  return db.select().from(notificationChannels).orderBy(asc(notificationChannels.id));
}

export async function findChannel(db: Db, id: number): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(notificationChannels).where(eq(notificationChannels.id, id)).limit(1);
  return row;
}

export async function findSiteTimezone(db: Db, siteId: string): Promise<string | null> {
  const [row] = await db.select({ tz: sites.timezone }).from(sites).where(eq(sites.siteId, siteId)).limit(1);
  return row?.tz ?? null;
}

export async function countDeadByChannel(db: Db): Promise<Map<number, number>> {
  const rows = await db
    .select({ channelId: notificationDeliveries.channelId, n: count() })
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.status, "dead"))
    .groupBy(notificationDeliveries.channelId);
  return new Map(rows.map((r) => [r.channelId, r.n]));
}

export async function insertDeliveries(db: Db, rows: DeliveryInsert[]): Promise<DeliveryRow[]> {
  if (rows.length === 0) return [];
  return db.insert(notificationDeliveries).values(rows).returning();
}

/** Pending or retrying deliveries whose time has come, oldest first. */
export async function listDueDeliveries(db: Db, now: Date, limit = 500): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(notificationDeliveries)
    .where(
      and(
        inArray(notificationDeliveries.status, ["pending", "retrying"]),
        lte(notificationDeliveries.nextAttemptAt, now),
      ),
    )
    .orderBy(asc(notificationDeliveries.nextAttemptAt), asc(notificationDeliveries.id))
    .limit(limit);
}

export async function updateDeliveries(db: Db, ids: number[], values: Partial<DeliveryInsert>): Promise<void> {
  if (ids.length > 0)
    await db.update(notificationDeliveries).set(values).where(inArray(notificationDeliveries.id, ids));
}

export async function listDeliveryRows(
  db: Db,
  f: { channelId?: number; channelIds?: number[]; status?: DeliveryStatusValue; limit: number; offset: number },
): Promise<DeliveryRow[]> {
  const where: (SQL | undefined)[] = [
    f.channelId ? eq(notificationDeliveries.channelId, f.channelId) : undefined,
    f.channelIds ? inArray(notificationDeliveries.channelId, f.channelIds.length ? f.channelIds : [-1]) : undefined,
    f.status ? eq(notificationDeliveries.status, f.status) : undefined,
  ];
  return db
    .select()
    .from(notificationDeliveries)
    .where(and(...where))
    .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id))
    .limit(f.limit)
    .offset(f.offset);
}

export async function findDelivery(db: Db, id: number): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id)).limit(1);
  return row;
}
