import type { PermissionFlags } from "@homepot/contracts/permissions";
import { type Db, devicePermissions, devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { noGrants } from "./grants.ts";

export type PermissionRow = typeof devicePermissions.$inferSelect;

export function flagsOf(row: PermissionRow | undefined): PermissionFlags {
  if (!row) return noGrants();
  return {
    root_access: row.rootAccess,
    command_execution: row.commandExecution,
    process_monitoring: row.processMonitoring,
    filesystem_access: row.filesystemAccess,
    network_monitoring: row.networkMonitoring,
  };
}

/** The device (its OS facts and audit key) with its grants row, if any. */
export async function findDeviceGrants(db: Db, deviceId: string) {
  const [row] = await db
    .select({
      id: devices.id,
      deviceId: devices.deviceId,
      isActive: devices.isActive,
      osFamily: devices.osFamily,
      osDetails: devices.osDetails,
      grants: devicePermissions,
    })
    .from(devices)
    .leftJoin(devicePermissions, eq(devicePermissions.deviceId, devices.deviceId))
    .where(eq(devices.deviceId, deviceId))
    .limit(1);
  return row ? { ...row, grants: row.grants ?? undefined } : undefined;
}

export async function saveGrants(
  db: Db,
  deviceId: string,
  flags: PermissionFlags,
  meta: { via: "device" | "admin_override"; by: string; at: Date },
): Promise<PermissionRow> {
  const values = {
    rootAccess: flags.root_access,
    commandExecution: flags.command_execution,
    processMonitoring: flags.process_monitoring,
    filesystemAccess: flags.filesystem_access,
    networkMonitoring: flags.network_monitoring,
    updatedVia: meta.via,
    updatedBy: meta.by,
    updatedAt: meta.at,
  };
  const [row] = await db
    .insert(devicePermissions)
    .values({ deviceId, ...values })
    .onConflictDoUpdate({ target: devicePermissions.deviceId, set: values })
    .returning();
  if (!row) throw new Error("upsert returned no row");
  return row;
}

/** Records the OS a device reports when the server knows none yet (DNA, when it comes, stays authoritative). */
export async function recordOsIfUnknown(db: Db, deviceId: string, osDetails: string, family: string | null) {
  const [row] = await db.select({ osFamily: devices.osFamily }).from(devices).where(eq(devices.deviceId, deviceId));
  if (row && !row.osFamily)
    await db.update(devices).set({ osDetails, osFamily: family }).where(eq(devices.deviceId, deviceId));
}
