import { type Db, pushNotifications } from "@homepot/db";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { claimRows, findOne, insertOne, pageNewestFirst, updateOne, usernameOf } from "../rows.ts";

export type PushRow = typeof pushNotifications.$inferSelect;

export function insertPush(db: Db, row: typeof pushNotifications.$inferInsert): Promise<PushRow> {
  return insertOne(db, pushNotifications, row);
}

export function findPush(db: Db, messageId: string): Promise<PushRow | undefined> {
  return findOne(db, pushNotifications, eq(pushNotifications.messageId, messageId));
}

/** Hands out the device's unexpired, not yet fetched pushes once (row locks, SKIP LOCKED), oldest first. */
export async function claimPushes(db: Db, deviceId: string, now: Date): Promise<PushRow[]> {
  const p = pushNotifications;
  const rows = await claimRows(db, p, {
    claimable: and(eq(p.deviceId, deviceId), eq(p.status, "sent"), isNull(p.fetchedAt), gt(p.expiresAt, now)),
    orderBy: [asc(p.sentAt)],
    limit: 100,
    set: { fetchedAt: now },
    unclaimed: isNull(p.fetchedAt),
  });
  return rows.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
}

export async function updatePush(db: Db, id: number, set: Partial<typeof pushNotifications.$inferInsert>) {
  const row = await updateOne(db, pushNotifications, set, eq(pushNotifications.id, id));
  if (!row) throw new Error("update returned no row");
  return row;
}

export async function listPushRows(db: Db, f: { deviceId: string; limit: number; offset: number }) {
  const where = eq(pushNotifications.deviceId, f.deviceId);
  return pageNewestFirst(db, pushNotifications, pushNotifications.sentAt, where, f, {
    createdByUsername: usernameOf("push_notifications.created_by"),
  });
}
