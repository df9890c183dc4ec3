import { devices } from "@homepot/db";
import { inArray } from "drizzle-orm";
import type { Context } from "../context.ts";
import { osFamilyOf } from "../permissions/os-family.ts";
import { skipReason } from "./compatibility.ts";
import { findRelease, versionColumn } from "./release.repository.ts";

/**
 * A release job's targets, split: the devices to send it to, and the ones to skip with why (another device
 * type or OS family, below `min_current_version`, already on the version). A missing release skips nobody (the job fails
 * per device instead).
 */
export async function splitReleaseTargets(ctx: Context, releaseId: string, deviceIds: string[]) {
  const release = await findRelease(ctx.db, releaseId);
  if (!release || deviceIds.length === 0) return { send: deviceIds, skipped: [] };
  const rows = await ctx.db
    .select({
      deviceId: devices.deviceId,
      deviceType: devices.deviceType,
      osFamily: devices.osFamily,
      osDetails: devices.osDetails,
      installed: versionColumn(release.releaseType),
    })
    .from(devices)
    .where(inArray(devices.deviceId, deviceIds));
  const byId = new Map(rows.map((r) => [r.deviceId, r]));
  const send: string[] = [];
  const skipped: { deviceId: string; reason: string }[] = [];
  for (const deviceId of deviceIds) {
    const device = byId.get(deviceId);
    const reason = device
      ? skipReason(
          {
            deviceTypes: release.deviceTypes,
            osFamilies: release.osFamilies,
            minCurrentVersion: release.minCurrentVersion,
            version: release.version,
          },
          { ...device, osFamily: osFamilyOf(device.osFamily, device.osDetails) },
        )
      : null;
    if (reason) skipped.push({ deviceId, reason });
    else send.push(deviceId);
  }
  return { send, skipped };
}
