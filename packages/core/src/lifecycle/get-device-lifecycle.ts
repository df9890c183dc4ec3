import { deviceLifecycleEvents } from "@homepot/db";
import { desc, eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import { type DeviceRow, findDeviceByDeviceId } from "../devices/device.repository.ts";
import { type EpochRow, listEpochs } from "../devices/epoch.repository.ts";
import { NotFoundError } from "../errors.ts";

export type LifecycleEventRow = typeof deviceLifecycleEvents.$inferSelect;

/** A device's epochs (oldest first) and its last `limit` lifecycle transitions (newest first). */
export async function getDeviceLifecycle(
  ctx: Context,
  deviceId: string,
  limit = 100,
): Promise<{ device: DeviceRow; epochs: EpochRow[]; events: LifecycleEventRow[] }> {
  const device = await findDeviceByDeviceId(ctx.db, deviceId);
  if (!device?.isActive) throw new NotFoundError(`device ${deviceId} not found`);
  const [epochs, events] = await Promise.all([
    listEpochs(ctx.db, device),
    ctx.db
      .select()
      .from(deviceLifecycleEvents)
      .where(eq(deviceLifecycleEvents.deviceId, device.deviceId))
      .orderBy(desc(deviceLifecycleEvents.timestamp), desc(deviceLifecycleEvents.id))
      .limit(limit),
  ]);
  return { device, epochs, events };
}
