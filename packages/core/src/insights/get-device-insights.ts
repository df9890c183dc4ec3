import { type Context, readDb } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { loadDeviceSeries } from "./device-series.repository.ts";
import { findDevice } from "./insights.repository.ts";
import { alignRiskWithHealth, computeFailureRisk, type FailureRisk } from "./models/failure-risk.ts";
import { computeHealthScore, type HealthScore } from "./models/health-score.ts";
import { HOUR_MS } from "./models/series.ts";

export interface DeviceInsights {
  device_id: string;
  site_id: string;
  status: string;
  last_seen: string | null;
  generated_at: string;
  health: HealthScore;
  failure_risk: FailureRisk;
}

/** Health score (with each factor's contribution and the recent trends) and 24-hour failure risk of one device. */
export async function getDeviceInsights(
  ctx: Context,
  deviceId: string,
  options: { hours?: number } = {},
): Promise<DeviceInsights> {
  const hours = options.hours ?? 24;
  const device = await findDevice(readDb(ctx), deviceId);
  if (!device) throw new NotFoundError(`Device ${deviceId} not found`);
  const now = ctx.clock.now();
  // The risk model reads a week of the device's own history for its base rates.
  const from = new Date(now.getTime() - Math.max(hours, 7 * 24) * HOUR_MS);
  const series = (await loadDeviceSeries(readDb(ctx), [device], from, now)).get(device.deviceId);
  if (!series) throw new NotFoundError(`Device ${deviceId} not found`);
  const health = computeHealthScore(series, hours);
  return {
    device_id: device.deviceId,
    site_id: device.siteId,
    status: device.status,
    last_seen: device.lastSeen?.toISOString() ?? null,
    generated_at: now.toISOString(),
    health,
    failure_risk: alignRiskWithHealth(computeFailureRisk(series, { horizonHours: 24 }), health),
  };
}
