import { devices } from "@homepot/db";
import { type Context, readDb } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { inTurns } from "../in-turns.ts";
import { inScope } from "../tenants/authorize.ts";
import { loadDeviceSeries, seriesInChunks } from "./device-series.repository.ts";
import { type DeviceRef, findSite, listActiveDevices } from "./insights.repository.ts";
import { peerAdjust } from "./models/anomaly-rules.ts";
import { alignRiskWithHealth, computeFailureRisk, type RiskFactor, type RiskState } from "./models/failure-risk.ts";
import { computeHealthScore } from "./models/health-score.ts";
import { HOUR_MS } from "./models/series.ts";

export interface AtRiskDevice {
  device_id: string;
  site_id: string;
  status: string;
  /** "failed" when the device is already in error/offline (no longer a prediction), else "assessed". */
  state: RiskState;
  probability: number;
  /** The part building up (not the present state): what anomalies and the backtest alarm on. */
  elevated_probability: number;
  risk_level: string;
  level_reason: string | null;
  confidence: number;
  estimated_failure_at: string | null;
  top_factors: RiskFactor[];
}

export interface AtRiskList {
  horizon_hours: number;
  min_probability: number;
  evaluated: number;
  /** Registered devices that never reported: not assessed and not listed. */
  waiting_for_first_contact: number;
  devices: AtRiskDevice[];
  generated_at: string;
  window: { start: string; end: string };
}

/** Devices whose failure probability within the horizon is at least `minProbability`, riskiest first. */
export async function listAtRiskDevices(
  ctx: Context,
  options: {
    siteId?: string;
    horizonHours?: number;
    minProbability?: number;
    limit?: number;
    /** Assess only these (the failure-risk sweep's devices with new data), instead of every active device. */
    devices?: readonly DeviceRef[];
  } = {},
): Promise<AtRiskList> {
  const horizon = options.horizonHours ?? 24;
  const min = options.minProbability ?? 0.2;
  if (options.siteId && !(await findSite(readDb(ctx), options.siteId)))
    throw new NotFoundError(`Site ${options.siteId} not found`);
  const refs =
    options.devices ??
    (await listActiveDevices(readDb(ctx), options.siteId, undefined, inScope(ctx, { device: devices.deviceId })));
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - 7 * 24 * HOUR_MS);
  const found: AtRiskDevice[] = [];
  let waiting = 0;
  // In chunks, so a large fleet does not load a week of every device at once.
  for await (const { chunk, series } of seriesInChunks(refs, (c) => loadDeviceSeries(readDb(ctx), c, from, now))) {
    // CPU is judged against the site's other devices of the chunk (the load moves them together).
    const peers = peerAdjust([...series.values()]);
    for await (const ref of inTurns(chunk)) {
      const s = series.get(ref.deviceId);
      if (!s) continue;
      const raw = computeFailureRisk(s, { horizonHours: horizon, peers: peers.get(ref.deviceId) });
      // A device that never reported is waiting for its first contact, not at risk.
      if (raw.state === "waiting_for_first_contact") {
        waiting += 1;
        continue;
      }
      if (raw.probability < min) continue;
      const r = alignRiskWithHealth(raw, computeHealthScore(s, 24));
      found.push({
        device_id: ref.deviceId,
        site_id: ref.siteId,
        status: ref.status,
        state: r.state,
        probability: r.probability,
        elevated_probability: r.elevated_probability,
        risk_level: r.risk_level,
        level_reason: r.level_reason,
        confidence: r.confidence,
        estimated_failure_at: r.estimated_failure_at,
        top_factors: r.factors.filter((f) => f.probability > 0).slice(0, 3),
      });
    }
  }
  found.sort((a, b) => b.probability - a.probability || a.device_id.localeCompare(b.device_id));
  return {
    horizon_hours: horizon,
    min_probability: min,
    evaluated: refs.length - waiting,
    waiting_for_first_contact: waiting,
    devices: found.slice(0, options.limit ?? 100),
    generated_at: now.toISOString(),
    window: { start: from.toISOString(), end: now.toISOString() },
  };
}
