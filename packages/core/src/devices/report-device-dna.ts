import { devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { osFamilyOf } from "../permissions/os-family.ts";
import { type DeviceRow, lockDevice } from "./device.repository.ts";

export interface DeviceDnaInput {
  macAddress?: string | null | undefined;
  localIp?: string | null | undefined;
  wanIp?: string | null | undefined;
  osFamily?: string | null | undefined;
  osVersion?: string | null | undefined;
  osDetails?: string | null | undefined;
  firmwareVersion?: string | null | undefined;
  hardware?: Record<string, unknown> | null | undefined;
  peripherals?: unknown;
  agentVersion?: string | null | undefined;
  machineId?: string | null | undefined;
}

type DnaPatch = Partial<
  Pick<
    DeviceRow,
    | "macAddress"
    | "localIp"
    | "wanIp"
    | "osFamily"
    | "osVersion"
    | "osDetails"
    | "firmwareVersion"
    | "hardware"
    | "peripherals"
    | "agentVersion"
    | "machineId"
    | "hardwareVendor"
    | "hardwareModel"
    | "ipAddress"
  >
>;

const text = (v: unknown, max: number) => (typeof v === "string" && v.trim() ? v.trim().slice(0, max) : null);

/** The columns a report sets: only the facts it carries (an absent field keeps the stored value). */
function patchOf(input: DeviceDnaInput): DnaPatch {
  const patch: DnaPatch = {};
  const put = <K extends keyof DnaPatch>(key: K, value: DnaPatch[K] | undefined) => {
    if (value !== undefined) patch[key] = value;
  };
  put("macAddress", input.macAddress === undefined ? undefined : (input.macAddress?.toLowerCase() ?? null));
  put("localIp", input.localIp);
  // The original shows the local address as the device's ip_address.
  if (input.localIp) put("ipAddress", input.localIp);
  put("wanIp", input.wanIp);
  put("osVersion", input.osVersion);
  put("osDetails", input.osDetails);
  if (input.osFamily !== undefined || input.osDetails !== undefined)
    put("osFamily", osFamilyOf(input.osFamily, input.osDetails));
  put("firmwareVersion", input.firmwareVersion);
  put("agentVersion", input.agentVersion);
  put("machineId", input.machineId);
  if (input.hardware !== undefined) {
    put("hardware", input.hardware);
    put("hardwareVendor", text(input.hardware?.vendor ?? input.hardware?.manufacturer, 100));
    put("hardwareModel", text(input.hardware?.model, 100));
  }
  if (input.peripherals !== undefined) put("peripherals", input.peripherals ?? null);
  return patch;
}

const COLUMN: Record<keyof DnaPatch, string> = {
  macAddress: "mac_address",
  localIp: "local_ip",
  ipAddress: "ip_address",
  wanIp: "wan_ip",
  osFamily: "os_family",
  osVersion: "os_version",
  osDetails: "os_details",
  firmwareVersion: "firmware_version",
  agentVersion: "agent_version",
  machineId: "machine_id",
  hardware: "hardware",
  hardwareVendor: "hardware_vendor",
  hardwareModel: "hardware_model",
  peripherals: "peripherals",
};

/**
 * Stores what a device reports about itself (MAC, addresses, OS, hardware, firmware, peripherals, agent
 * version). `dna_updated_at` moves on every report; the facts that changed are audited with old and new
 * values. Works for a device still pending approval (it is part of registering).
 */
export async function reportDeviceDna(
  ctx: Context,
  deviceId: string,
  input: DeviceDnaInput,
): Promise<{ device: DeviceRow; changed: string[] }> {
  return ctx.db.transaction(async (tx) => {
    const before = await lockDevice(tx, deviceId);
    if (!before?.isActive) throw new NotFoundError(`device ${deviceId} not found`);
    const patch = patchOf(input);
    const changed = (Object.keys(patch) as Array<keyof DnaPatch>).filter(
      (k) => JSON.stringify(patch[k] ?? null) !== JSON.stringify(before[k] ?? null),
    );
    const now = ctx.clock.now();
    const [after] = await tx
      .update(devices)
      .set({ ...patch, dnaUpdatedAt: now, ...(changed.length ? { updatedAt: now } : {}) })
      .where(eq(devices.id, before.id))
      .returning();
    if (!after) throw new NotFoundError(`device ${deviceId} not found`);
    if (changed.length > 0)
      await recordAudit(
        ctx,
        {
          eventType: "device_dna_changed",
          description: `Device ${deviceId} reported new DNA (${changed.map((k) => COLUMN[k]).join(", ")})`,
          deviceId: before.id,
          oldValues: Object.fromEntries(changed.map((k) => [COLUMN[k], before[k] ?? null])),
          newValues: Object.fromEntries(changed.map((k) => [COLUMN[k], after[k] ?? null])),
        },
        tx,
      );
    return { device: after, changed: changed.map((k) => COLUMN[k]) };
  });
}
