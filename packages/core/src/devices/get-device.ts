import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { type DeviceRow, findDeviceWithSite } from "./device.repository.ts";

/** An active device with its site's name; 404 when unknown or deleted (unless `includeInactive`). */
export async function getDevice(
  ctx: Context,
  deviceId: string,
  options: { includeInactive?: boolean } = {},
): Promise<{ device: DeviceRow; siteName: string | null }> {
  const found = await findDeviceWithSite(ctx.db, deviceId);
  if (!found || (!found.device.isActive && !options.includeInactive))
    throw new NotFoundError(`device ${deviceId} not found`);
  return found;
}
