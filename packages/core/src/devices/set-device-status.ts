import { type Db, deviceStateHistory, devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import type { DeviceRow } from "./device.repository.ts";

export interface StatusChange {
  status: string;
  reason: string;
  /** Who changed it: "system", a user id, a device id… */
  changedBy: string;
  extraData?: Record<string, unknown>;
  /** Also set last_seen (a report from the device). */
  lastSeen?: Date;
  /** The device's health; by default derived from the status (offline says nothing about health). */
  health?: DeviceRow["healthState"];
}

function healthFor(status: string, current: DeviceRow["healthState"]): DeviceRow["healthState"] {
  if (status === "error") return "error";
  if (status === "maintenance") return "maintenance";
  if (status === "online") return "healthy";
  return current;
}

/**
 * Sets a device's status inside the caller's transaction and writes a device_state_history row only
 * when the status actually changes. `device` must be the current row (locked by the caller).
 * Returns whether it changed. Used by health reports, the gap detector, operators and commands.
 */
export async function setDeviceStatus(ctx: Context, tx: Db, device: DeviceRow, change: StatusChange): Promise<boolean> {
  const now = ctx.clock.now();
  const changed = device.status !== change.status;
  const health = change.health ?? healthFor(change.status, device.healthState);
  if (!changed && !change.lastSeen && health === device.healthState) return false;
  await tx
    .update(devices)
    .set({
      status: change.status,
      healthState: health,
      ...(change.lastSeen ? { lastSeen: change.lastSeen } : {}),
      ...(changed ? { updatedAt: now } : {}),
    })
    .where(eq(devices.id, device.id));
  if (changed) {
    await tx.insert(deviceStateHistory).values({
      timestamp: now,
      deviceId: device.deviceId,
      previousState: device.status,
      newState: change.status,
      changedBy: change.changedBy.slice(0, 255),
      reason: change.reason.slice(0, 500),
      extraData: change.extraData ?? null,
      provenance: device.isSimulated ? "simulated" : "real",
    });
  }
  if (changed)
    ctx.signals?.emit({
      kind: "status",
      deviceId: device.deviceId,
      status: change.status,
      at: now,
      reason: change.reason,
    });
  if (change.lastSeen) ctx.signals?.emit({ kind: "seen", deviceId: device.deviceId, at: change.lastSeen });
  return changed;
}
