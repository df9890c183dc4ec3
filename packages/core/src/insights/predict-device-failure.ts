import type { Context } from "../context.ts";
import { getDeviceHistory } from "./get-device-history.ts";
import { alignRiskWithHealth, computeFailureRisk, type FailureRisk } from "./models/failure-risk.ts";
import { computeHealthScore } from "./models/health-score.ts";

export interface FailurePrediction extends FailureRisk {
  device_id: string;
  site_id: string;
  status: string;
  generated_at: string;
}

/** Probability that a device goes to error/offline within the next `horizonHours`, with its factors. */
export async function predictDeviceFailure(
  ctx: Context,
  deviceId: string,
  options: { horizonHours?: number } = {},
): Promise<FailurePrediction> {
  const { device, series, now } = await getDeviceHistory(ctx, deviceId);
  return {
    device_id: device.deviceId,
    site_id: device.siteId,
    status: device.status,
    generated_at: now.toISOString(),
    ...alignRiskWithHealth(
      computeFailureRisk(series, { horizonHours: options.horizonHours ?? 24 }),
      computeHealthScore(series, 24),
    ),
  };
}
