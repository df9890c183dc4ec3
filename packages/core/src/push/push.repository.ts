import { type Db, pushNotifications } from "@homepot/db";
import { and, asc, count, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";

export type PushRow = typeof pushNotifications.$inferSelect;

export async function insertPush(db: Db, row: typeof pushNotifications.$inferInsert): Promise<PushRow> {
  const [created] = await db.insert(pushNotifications).values(row).returning();
  if (!created) throw new Error("insert returned no row");
  return created;
}

export async function findPush(db: Db, messageId: string): Promise<PushRow | undefined> {
  const [row] = await db.select().from(pushNotifications).where(eq(pushNotifications.messageId, messageId)).limit(1);
  return row;
}

/** Hands out the device's unexpired, not yet fetched pushes once (row locks, SKIP LOCKED), oldest first. */
export async function claimPushes(db: Db, deviceId: string, now: Date): Promise<PushRow[]> {
  const candidates = db
    .select({ id: pushNotifications.id })
    .from(pushNotifications)
    .where(
      and(
        eq(pushNotifications.deviceId, deviceId),
        eq(pushNotifications.status, "sent"),
        isNull(pushNotifications.fetchedAt),
        gt(pushNotifications.expiresAt, now),
      ),
    )
    .orderBy(asc(pushNotifications.sentAt))
    .limit(100)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(pushNotifications)
    .set({ fetchedAt: now })
    .where(and(inArray(pushNotifications.id, candidates), isNull(pushNotifications.fetchedAt)))
    .returning();
  return rows.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
}

export async function updatePush(db: Db, id: number, set: Partial<typeof pushNotifications.$inferInsert>) {
  const [row] = await db.update(pushNotifications).set(set).where(eq(pushNotifications.id, id)).returning();
  if (!row) throw new Error("update returned no row");
  return row;
}

export async function listPushRows(db: Db, f: { deviceId: string; limit: number; offset: number }) {
  const where = eq(pushNotifications.deviceId, f.deviceId);
  const rows = await db
    .select({
      row: pushNotifications,
      createdByUsername: sql<
        string | null
      >`(select u.username from users u where u.id::text = push_notifications.created_by)`,
    })
    .from(pushNotifications)
    .where(where)
    .orderBy(desc(pushNotifications.sentAt), desc(pushNotifications.id))
    .limit(f.limit)
    .offset(f.offset);
  const [total] = await db.select({ n: count() }).from(pushNotifications).where(where);
  return {
    rows: rows.map((r) => ({ ...r.row, createdByUsername: r.createdByUsername })),
    total: Number(total?.n ?? 0),
  };
}
