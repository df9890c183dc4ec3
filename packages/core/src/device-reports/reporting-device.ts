import type { Context } from "../context.ts";
import { ForbiddenError } from "../errors.ts";
import { findReportingDevice } from "./device-reports.repository.ts";

/**
 * Every `/agent/*` report names its device: it must be the key's device (else 403, as the original answers) and
 * that device must still be active (a key cached before a delete does not let a removed device write).
 */
export async function reportingDevice(ctx: Context, bodyDeviceIds: readonly string[]) {
  const actor = ctx.actor;
  if (actor.kind !== "device") throw new ForbiddenError("Only a device may report");
  if (bodyDeviceIds.some((id) => id !== actor.deviceId))
    throw new ForbiddenError("Authenticated device does not match payload device_id");
  const device = await findReportingDevice(ctx.db, actor.deviceId);
  if (!device?.isActive) throw new ForbiddenError(`Device ${actor.deviceId} is not active`);
  return device;
}
