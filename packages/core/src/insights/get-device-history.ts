import { type Context, readDb } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { loadDeviceSeries } from "./device-series.repository.ts";
import { type DeviceRef, findDevice } from "./insights.repository.ts";
import { type DeviceSeries, HOUR_MS } from "./models/series.ts";

/**
 * One device and its history up to now: the last `hours`, and at least the week the risk model reads for the
 * device's own base rates. 404 when the device is unknown (or not active).
 */
export async function getDeviceHistory(
  ctx: Context,
  deviceId: string,
  hours = 0,
): Promise<{ device: DeviceRef; series: DeviceSeries; now: Date }> {
  const device = await findDevice(readDb(ctx), deviceId);
  if (!device) throw new NotFoundError(`Device ${deviceId} not found`);
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - Math.max(hours, 7 * 24) * HOUR_MS);
  const series = (await loadDeviceSeries(readDb(ctx), [device], from, now)).get(device.deviceId);
  if (!series) throw new NotFoundError(`Device ${deviceId} not found`);
  return { device, series, now };
}
