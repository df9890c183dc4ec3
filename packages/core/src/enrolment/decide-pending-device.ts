import { devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { type DeviceRow, lockDevice } from "../devices/device.repository.ts";
import { endEpoch } from "../devices/epoch.repository.ts";
import { bumpKeyEpoch } from "../devices/key-epoch.ts";
import { ConflictError, NotFoundError } from "../errors.ts";

export type PendingDecision = "approve" | "reject";

/**
 * Decides on a self-provisioned device waiting in `pending`: approve makes it active (its key now works for
 * everything); reject unpairs it (key revoked, epoch ended, device removed from the fleet). Audited; 409 when
 * the device is not pending.
 */
export async function decidePendingDevice(
  ctx: Context,
  deviceId: string,
  decision: PendingDecision,
  reason?: string | null,
): Promise<DeviceRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await lockDevice(tx, deviceId);
    if (!before?.isActive) throw new NotFoundError(`device ${deviceId} not found`);
    if (before.lifecycleState !== "pending")
      throw new ConflictError(`device ${deviceId} is ${before.lifecycleState}, not waiting for approval`);
    const now = ctx.clock.now();
    const patch =
      decision === "approve"
        ? { lifecycleState: "active" as const }
        : {
            lifecycleState: "unpaired" as const,
            isActive: false,
            apiKeyHash: null,
            apiKeyPrefix: null,
            previousApiKeyHash: null,
            previousApiKeyExpiresAt: null,
          };
    const [after] = await tx
      .update(devices)
      .set({ ...patch, updatedAt: now })
      .where(eq(devices.id, before.id))
      .returning();
    if (!after) throw new NotFoundError(`device ${deviceId} not found`);
    if (decision === "reject") await endEpoch(tx, before, now);
    // Every instance re-reads the device's key state (its cached lifecycle) at once.
    await bumpKeyEpoch(tx);
    const note = reason?.trim() ? `: ${reason.trim()}` : "";
    await recordAudit(
      ctx,
      {
        eventType: decision === "approve" ? "device_approved" : "device_rejected",
        description: `Device ${deviceId} ${decision === "approve" ? "approved" : "rejected"} at site ${before.siteId}${note}`,
        deviceId: before.id,
        oldValues: { lifecycle_state: before.lifecycleState },
        newValues: { lifecycle_state: after.lifecycleState, reason: reason?.trim() || null },
      },
      tx,
    );
    return after;
  });
}
