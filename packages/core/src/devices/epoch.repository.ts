import { randomUUID } from "node:crypto";
import { type Db, deviceEpochs } from "@homepot/db";
import { and, asc, eq, isNull } from "drizzle-orm";

export type EpochRow = typeof deviceEpochs.$inferSelect;

/**
 * Closes the device's open epoch (if any) and opens a new one at `siteId`, inside the caller's transaction.
 * Returns the new epoch's id (what claim, bootstrap, re-enrol and transfer answers report as `epoch_id`).
 */
export async function startEpoch(
  tx: Db,
  device: { id: number },
  siteId: string,
  reason: string,
  at: Date,
): Promise<string> {
  await endEpoch(tx, device, at);
  const id = randomUUID();
  await tx.insert(deviceEpochs).values({ id, deviceId: device.id, siteId, startedAt: at, reason });
  return id;
}

/** Closes the device's open epoch (unpairing ends a period of its life without starting another). */
export async function endEpoch(tx: Db, device: { id: number }, at: Date): Promise<void> {
  await tx
    .update(deviceEpochs)
    .set({ endedAt: at })
    .where(and(eq(deviceEpochs.deviceId, device.id), isNull(deviceEpochs.endedAt)));
}

export async function findOpenEpoch(db: Db, device: { id: number }): Promise<EpochRow | undefined> {
  const [row] = await db
    .select()
    .from(deviceEpochs)
    .where(and(eq(deviceEpochs.deviceId, device.id), isNull(deviceEpochs.endedAt)))
    .limit(1);
  return row;
}

/** Every epoch of a device, oldest first. */
export async function listEpochs(db: Db, device: { id: number }): Promise<EpochRow[]> {
  return db
    .select()
    .from(deviceEpochs)
    .where(eq(deviceEpochs.deviceId, device.id))
    .orderBy(asc(deviceEpochs.startedAt));
}
