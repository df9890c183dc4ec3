import { type Db, devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { type AuditEvent, recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { type DeviceRow, lockDevice } from "../devices/device.repository.ts";
import { bumpKeyEpoch } from "../devices/key-epoch.ts";
import { announce } from "../devices/lifecycle-bus.ts";
import { NotFoundError } from "../errors.ts";
import { recordTransition } from "./record-transition.ts";

/** How archiving or restoring goes: a check first, the reason on the lifecycle event, and the audit row. */
export interface ArchiveStep {
  /** Throws to refuse (e.g. a device of an archived site). */
  check?: (tx: Db, device: DeviceRow) => Promise<void>;
  reason: string;
  audit: (before: DeviceRow, after: DeviceRow) => Omit<AuditEvent, "deviceId" | "oldValues" | "newValues">;
}

/**
 * Archives (`isActive` false) or restores (true) one device in one transaction: a device that is active or pending
 * is suspended on the way with its lifecycle event, cached keys are dropped, and the change is audited. Doing it
 * twice changes nothing (`already`).
 */
export async function setDeviceActive(
  ctx: Context,
  deviceId: string,
  isActive: boolean,
  step: ArchiveStep,
): Promise<{ device: DeviceRow; already: boolean }> {
  const r = await ctx.db.transaction(async (tx) => {
    const d = await lockDevice(tx, deviceId);
    if (!d) throw new NotFoundError(`device ${deviceId} not found`);
    if (d.isActive === isActive) return { device: d, already: true };
    await step.check?.(tx, d);
    const after =
      d.lifecycleState === "active" || d.lifecycleState === "pending"
        ? await recordTransition(
            ctx,
            tx,
            d,
            { action: "suspend", to: "suspended", set: { isActive } },
            { reason: step.reason },
          )
        : (
            await tx
              .update(devices)
              .set({ isActive, updatedAt: ctx.clock.now() })
              .where(eq(devices.id, d.id))
              .returning()
          )[0];
    if (!after) throw new NotFoundError(`device ${deviceId} not found`);
    await bumpKeyEpoch(tx);
    await recordAudit(
      ctx,
      {
        ...step.audit(d, after),
        deviceId: d.id,
        oldValues: { is_active: !isActive, lifecycle_state: d.lifecycleState },
        newValues: { is_active: isActive, lifecycle_state: after.lifecycleState },
      },
      tx,
    );
    return { device: after, already: false };
  });
  if (!r.already) announce([r.device]);
  return r;
}
