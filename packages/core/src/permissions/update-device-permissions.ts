import type { PermissionFlags, PermissionKey } from "@homepot/contracts/permissions";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ForbiddenError, ValidationError } from "../errors.ts";
import { getDevicePermissions } from "./get-device-permissions.ts";
import { capabilitiesOf, osFamilyOf } from "./grants.ts";
import { findDeviceGrants, flagsOf, recordOsIfUnknown, saveGrants } from "./permissions.repository.ts";

export interface UpdatePermissionsInput {
  permissions: Partial<Record<PermissionKey, boolean | undefined>>;
  os_details?: string;
  /** Admin override only: why. */
  reason?: string;
}

/**
 * Grants or revokes on one device. The device itself (its key: the owner deciding on the device) changes its own;
 * an admin may override (`override: true`), which is audited with the old and new grants and the reason. Only the
 * keys given change; granting what the OS cannot support is a 422 naming the permission.
 */
export async function updateDevicePermissions(
  ctx: Context,
  deviceId: string,
  input: UpdatePermissionsInput,
  options: { override?: boolean } = {},
) {
  const actor = ctx.actor;
  if (options.override ? actor.kind !== "user" || actor.role !== "admin" : actor.kind !== "device")
    throw new ForbiddenError(
      options.override ? "Only an admin may override permissions" : "Only the device sets its own permissions",
    );
  await getDevicePermissions(ctx, deviceId);
  return ctx.db.transaction(async (tx) => {
    if (input.os_details && !options.override)
      await recordOsIfUnknown(tx, deviceId, input.os_details, osFamilyOf(input.os_details));
    const device = await findDeviceGrants(tx, deviceId);
    if (!device) throw new Error("device vanished");
    const caps = capabilitiesOf(osFamilyOf(device.osFamily ?? device.osDetails));
    const before = flagsOf(device.grants);
    const after: PermissionFlags = { ...before };
    for (const [key, value] of Object.entries(input.permissions) as [PermissionKey, boolean | undefined][]) {
      if (value === undefined) continue;
      if (value && !caps[key])
        throw new ValidationError(`Permission '${key}' is not supported by this device's OS`, `permissions.${key}`);
      after[key] = value;
    }
    const by = actor.kind === "user" ? String(actor.userId) : deviceId;
    await saveGrants(tx, deviceId, after, {
      via: options.override ? "admin_override" : "device",
      by,
      at: ctx.clock.now(),
    });
    const changed = (Object.keys(after) as PermissionKey[]).filter((k) => after[k] !== before[k]);
    await recordAudit(
      ctx,
      {
        eventType: options.override ? "device_permissions_override" : "device_permissions_updated",
        description: `${options.override ? "Admin override of" : "Device set"} permissions on ${deviceId}: ${
          changed.length ? changed.map((k) => `${k} ${after[k] ? "granted" : "revoked"}`).join(", ") : "no change"
        }`,
        deviceId: device.id,
        oldValues: before,
        newValues: after,
        metadata: options.override ? { reason: input.reason ?? null } : undefined,
      },
      tx,
    );
    const saved = await findDeviceGrants(tx, deviceId);
    if (!saved) throw new Error("device vanished");
    return saved;
  });
}
