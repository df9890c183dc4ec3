import { type Context, readDb } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { loadDeviceSeries } from "./device-series.repository.ts";
import { findDevice } from "./insights.repository.ts";
import { alignRiskWithHealth, computeFailureRisk, type FailureRisk } from "./models/failure-risk.ts";
import { computeHealthScore } from "./models/health-score.ts";
import { HOUR_MS } from "./models/series.ts";

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
  const device = await findDevice(readDb(ctx), deviceId);
  if (!device) throw new NotFoundError(`Device ${deviceId} not found`);
  const now = ctx.clock.now();
  const series = (await loadDeviceSeries(readDb(ctx), [device], new Date(now.getTime() - 7 * 24 * HOUR_MS), now)).get(
    device.deviceId,
  );
  if (!series) throw new NotFoundError(`Device ${deviceId} not found`);
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
