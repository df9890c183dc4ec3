import { devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { type DeviceRow, lockDevice } from "./device.repository.ts";
import { bumpKeyEpoch } from "./key-epoch.ts";
import { announce } from "./lifecycle-bus.ts";

/** Soft-deletes a device: it disappears from lists and its key stops working at once, its history stays. */
export async function deleteDevice(ctx: Context, deviceId: string): Promise<DeviceRow> {
  const deleted = await ctx.db.transaction(async (tx) => {
    const before = await lockDevice(tx, deviceId);
    if (!before?.isActive) throw new NotFoundError(`device ${deviceId} not found`);
    const [after] = await tx
      .update(devices)
      .set({ isActive: false, updatedAt: ctx.clock.now() })
      .where(eq(devices.id, before.id))
      .returning();
    if (!after) throw new NotFoundError(`device ${deviceId} not found`);
    await bumpKeyEpoch(tx);
    await recordAudit(
      ctx,
      {
        eventType: "device_deleted",
        description: `Device ${deviceId} deleted`,
        deviceId: before.id,
        oldValues: { is_active: true },
        newValues: { is_active: false },
      },
      tx,
    );
    return after;
  });
  announce([deleted]);
  return deleted;
}
