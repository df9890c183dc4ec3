import type { Context } from "../context.ts";
import { getDevice } from "../devices/get-device.ts";
import { listDeviceJobRows } from "./device-reports.repository.ts";

/** The jobs a device reported, newest first (404 for an unknown device). */
export async function listDeviceJobs(
  ctx: Context,
  deviceId: string,
  q: { status?: string; limit: number; offset: number },
) {
  await getDevice(ctx, deviceId);
  return listDeviceJobRows(ctx.db, { deviceId, ...q });
}
