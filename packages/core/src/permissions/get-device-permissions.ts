import type { Context } from "../context.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { findDeviceGrants } from "./permissions.repository.ts";

/**
 * A device's grants and what its OS can support. A device reads only its own (403 otherwise, before anything is
 * looked up, so it cannot probe which devices exist); operators and admins read any.
 */
export async function getDevicePermissions(ctx: Context, deviceId: string) {
  if (ctx.actor.kind === "device" && ctx.actor.deviceId !== deviceId)
    throw new ForbiddenError("Device can only read its own permissions");
  const device = await findDeviceGrants(ctx.db, deviceId);
  if (!device?.isActive) throw new NotFoundError(`Device '${deviceId}' not found`);
  return device;
}
