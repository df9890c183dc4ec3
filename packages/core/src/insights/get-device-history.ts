import { type Context, readDb } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { loadDeviceSeries } from "./device-series.repository.ts";
import { type DeviceRef, findDevice } from "./insights.repository.ts";
import { type DeviceSeries, HOUR_MS } from "./models/series.ts";

/** Where the history of `hours` before `now` starts: at least a week back, what the risk model reads for base rates. */
export function historyStart(now: Date, hours = 0): Date {
  return new Date(now.getTime() - Math.max(hours, 7 * 24) * HOUR_MS);
}

/** One device and its history up to now (from `historyStart`); 404 when the device is unknown (or not active). */
export async function getDeviceHistory(
  ctx: Context,
  deviceId: string,
  hours = 0,
): Promise<{ device: DeviceRef; series: DeviceSeries; now: Date }> {
  const device = await findDevice(readDb(ctx), deviceId);
  if (!device) throw new NotFoundError(`Device ${deviceId} not found`);
  const now = ctx.clock.now();
  const series = (await loadDeviceSeries(readDb(ctx), [device], historyStart(now, hours), now)).get(device.deviceId);
  if (!series) throw new NotFoundError(`Device ${deviceId} not found`);
  return { device, series, now };
}
