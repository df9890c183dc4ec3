import { devices, sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { type DeviceRow, lockDevice } from "../devices/device.repository.ts";
import { bumpKeyEpoch } from "../devices/key-epoch.ts";
import { announce } from "../devices/lifecycle-bus.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { recordTransition } from "./record-transition.ts";

/**
 * Brings an archived device back into the lists. It comes back suspended (an active one is suspended on the way),
 * so it reports again only once an operator resumes it. Its site must not be archived. Restoring twice changes nothing.
 */
export async function restoreDevice(ctx: Context, deviceId: string): Promise<{ device: DeviceRow; already: boolean }> {
  const r = await ctx.db.transaction(async (tx) => {
    const d = await lockDevice(tx, deviceId);
    if (!d) throw new NotFoundError(`device ${deviceId} not found`);
    if (d.isActive) return { device: d, already: true };
    const [site] = await tx.select().from(sites).where(eq(sites.siteId, d.siteId)).limit(1);
    if (site?.lifecycleState === "archived")
      throw new ConflictError(`Site ${d.siteId} is archived; restore the site before its devices`);
    const after =
      d.lifecycleState === "active" || d.lifecycleState === "pending"
        ? await recordTransition(
            ctx,
            tx,
            d,
            { action: "suspend", to: "suspended", set: { isActive: true } },
            { reason: "restored from the archive" },
          )
        : (
            await tx
              .update(devices)
              .set({ isActive: true, updatedAt: ctx.clock.now() })
              .where(eq(devices.id, d.id))
              .returning()
          )[0];
    if (!after) throw new NotFoundError(`device ${deviceId} not found`);
    await bumpKeyEpoch(tx);
    await recordAudit(
      ctx,
      {
        eventType: "device_restored",
        description: `Device ${d.deviceId} restored (${after.lifecycleState} until resumed)`,
        deviceId: d.id,
        oldValues: { is_active: false, lifecycle_state: d.lifecycleState },
        newValues: { is_active: true, lifecycle_state: after.lifecycleState },
      },
      tx,
    );
    return { device: after, already: false };
  });
  if (!r.already) announce([r.device]);
  return r;
}
