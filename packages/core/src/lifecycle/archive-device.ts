import { devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { type DeviceRow, lockDevice } from "../devices/device.repository.ts";
import { bumpKeyEpoch } from "../devices/key-epoch.ts";
import { announce } from "../devices/lifecycle-bus.ts";
import { NotFoundError } from "../errors.ts";
import { recordTransition } from "./record-transition.ts";

/**
 * Archives one device: it leaves the lists (the Archived filter shows it), its data stays, and an active or
 * pending device is suspended with its lifecycle event, all in one transaction. Archiving twice changes nothing.
 */
export async function archiveDevice(
  ctx: Context,
  deviceId: string,
  reason?: string | null,
): Promise<{ device: DeviceRow; already: boolean }> {
  const r = await ctx.db.transaction(async (tx) => {
    const d = await lockDevice(tx, deviceId);
    if (!d) throw new NotFoundError(`device ${deviceId} not found`);
    if (!d.isActive) return { device: d, already: true };
    const why = `archived${reason?.trim() ? `: ${reason.trim()}` : ""}`;
    const after =
      d.lifecycleState === "active" || d.lifecycleState === "pending"
        ? await recordTransition(
            ctx,
            tx,
            d,
            { action: "suspend", to: "suspended", set: { isActive: false } },
            { reason: why },
          )
        : (
            await tx
              .update(devices)
              .set({ isActive: false, updatedAt: ctx.clock.now() })
              .where(eq(devices.id, d.id))
              .returning()
          )[0];
    if (!after) throw new NotFoundError(`device ${deviceId} not found`);
    await bumpKeyEpoch(tx);
    await recordAudit(
      ctx,
      {
        eventType: "device_archived",
        description: `Device ${d.deviceId} archived (data kept; ${after.lifecycleState})`,
        deviceId: d.id,
        oldValues: { is_active: true, lifecycle_state: d.lifecycleState },
        newValues: { is_active: false, lifecycle_state: after.lifecycleState },
        metadata: { reason: reason ?? null },
      },
      tx,
    );
    return { device: after, already: false };
  });
  if (!r.already) announce([r.device]);
  return r;
}
