import { type Db, deviceStateHistory, devices, recordsetInsert } from "@homepot/db";
import { sql } from "drizzle-orm";
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
  return (await setDeviceStatuses(ctx, tx, [{ device, change }]))[0] ?? false;
}

interface DeviceUpdate extends Record<string, unknown> {
  id: number;
  status: string;
  health_state: string;
  last_seen: Date | null;
  changed: boolean;
}
interface HistoryRecord extends Record<string, unknown> {
  timestamp: Date;
  device_id: string;
  previous_state: string;
  new_state: string;
  changed_by: string;
  reason: string;
  extra_data: Record<string, unknown> | null;
  provenance: "simulated" | "real";
}
const historyRecords = recordsetInsert<HistoryRecord>(deviceStateHistory, [
  "timestamp",
  "device_id",
  "previous_state",
  "new_state",
  "changed_by",
  "reason",
  "extra_data",
  "provenance",
]);

/**
 * setDeviceStatus for many devices (each at most once) in two statements whatever their number: one update of
 * the devices, one insert of the state-history rows (a batch of health reports, the gap detector's sweep).
 * Answers, per item, whether its status changed.
 */
export async function setDeviceStatuses(
  ctx: Context,
  tx: Db,
  items: readonly { device: DeviceRow; change: StatusChange }[],
): Promise<boolean[]> {
  const now = ctx.clock.now();
  const updates: DeviceUpdate[] = [];
  const history: HistoryRecord[] = [];
  const changedFlags = items.map(({ device, change }) => {
    const changed = device.status !== change.status;
    const health = change.health ?? healthFor(change.status, device.healthState);
    if (!changed && !change.lastSeen && health === device.healthState) return false;
    updates.push({
      id: device.id,
      status: change.status,
      health_state: health,
      last_seen: change.lastSeen ?? null,
      changed,
    });
    if (changed)
      history.push({
        timestamp: now,
        device_id: device.deviceId,
        previous_state: device.status,
        new_state: change.status,
        changed_by: change.changedBy.slice(0, 255),
        reason: change.reason.slice(0, 500),
        extra_data: change.extraData ?? null,
        provenance: device.isSimulated ? "simulated" : "real",
      });
    return changed;
  });
  if (updates.length > 0)
    await tx.execute(sql`update ${devices} d set status = t.status, health_state = t.health_state,
        last_seen = coalesce(t.last_seen, d.last_seen),
        updated_at = case when t.changed then ${now.toISOString()}::timestamp else d.updated_at end
      from json_to_recordset(${JSON.stringify(updates)}::json)
        as t(id integer, status varchar, health_state varchar, last_seen timestamp, changed boolean)
      where d.id = t.id`);
  if (history.length > 0) await tx.execute(historyRecords.insert(history));
  items.forEach(({ device, change }, i) => {
    if (changedFlags[i])
      ctx.signals?.emit({
        kind: "status",
        deviceId: device.deviceId,
        status: change.status,
        at: now,
        reason: change.reason,
      });
    if (change.lastSeen) ctx.signals?.emit({ kind: "seen", deviceId: device.deviceId, at: change.lastSeen });
  });
  return changedFlags;
}
