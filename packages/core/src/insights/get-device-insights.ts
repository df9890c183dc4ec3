import type { Context } from "../context.ts";
import { getDeviceHistory } from "./get-device-history.ts";
import { alignRiskWithHealth, computeFailureRisk, type FailureRisk } from "./models/failure-risk.ts";
import { computeHealthScore, type HealthScore } from "./models/health-score.ts";

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
  const { device, series, now } = await getDeviceHistory(ctx, deviceId, hours);
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
