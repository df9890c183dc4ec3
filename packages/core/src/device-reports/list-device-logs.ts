import type { Context } from "../context.ts";
import { getDevice } from "../devices/get-device.ts";
import { listDeviceLogRows } from "./device-reports.repository.ts";

/** A device's live log lines (404 for an unknown device); `afterId` follows new lines. */
export async function listDeviceLogs(
  ctx: Context,
  deviceId: string,
  q: { after_id?: number; level?: string[]; limit: number },
) {
  await getDevice(ctx, deviceId);
  return listDeviceLogRows(ctx.db, { deviceId, afterId: q.after_id, levels: q.level, limit: q.limit });
}
