import { devices } from "@homepot/db";
import { type Context, readDb } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { inTurns } from "../in-turns.ts";
import { inScope } from "../tenants/authorize.ts";
import { loadDeviceSeries, type SeriesDeviceRef, seriesInChunks } from "./device-series.repository.ts";
import { findSite, listActiveDevices } from "./insights.repository.ts";
import { computeFailureRisk, statusText } from "./models/failure-risk.ts";
import { computeHealthScore, type HealthScore, penaltyShare } from "./models/health-score.ts";
import { forecastReadiness, notEnoughDataText } from "./models/readiness.ts";
import { HOUR_MS } from "./models/series.ts";
import { clamp, mean, round } from "./models/stats.ts";

export type ForecastState = "projected" | "not_enough_data" | "waiting_for_first_contact" | "failed";

export interface DeviceForecast {
  device_id: string;
  site_id: string;
  state: ForecastState;
  current_score: number | null;
  projected_score: number | null;
  /** Why there is no projection, e.g. "not enough data yet (needs 95 more minutes)"; null when projected. */
  note: string | null;
  failure_probability: number;
  drivers: string[];
  confidence: number;
}

export interface HealthForecast {
  horizon_hours: number;
  generated_at: string;
  window: { start: string; end: string; hours: number };
  devices_evaluated: number;
  /** Devices without a projection yet (too little history, or never reported). */
  devices_not_projected: number;
  current_mean_score: number | null;
  projected_mean_score: number | null;
  /** Sum of the devices' failure probabilities: how many failures to expect within the horizon. */
  expected_failures: number;
  devices: DeviceForecast[];
}

const PERCENT = new Set(["cpu", "memory", "disk", "error_rate"]);

/**
 * Where a device's score is heading: each metric factor moved along its measured trend (only trends
 * that stand out from the noise) for `horizonHours`, capped at the window length it was measured over.
 */
export function projectScore(health: HealthScore, horizonHours: number): { score: number | null; drivers: string[] } {
  if (health.score === null) return { score: null, drivers: [] };
  const ahead = Math.min(horizonHours, health.window.hours);
  let penalty = 0;
  const drivers: string[] = [];
  for (const f of health.factors) {
    if (f.value === null || f.weight === 0) continue;
    const trend = health.trends.find((t) => t.metric === f.factor);
    let value = f.value;
    if (trend && (trend.direction === "rising" || trend.direction === "falling") && trend.slope_per_hour !== null) {
      value = f.value + trend.slope_per_hour * ahead;
      if (PERCENT.has(f.factor)) value = clamp(value, 0, 100);
      else value = Math.max(0, value);
      const delta =
        penaltyShare(value, f.thresholds.warn, f.thresholds.critical) -
        penaltyShare(f.value, f.thresholds.warn, f.thresholds.critical);
      if (Math.abs(delta) > 0.01)
        drivers.push(`${f.label} ${trend.direction}: ${round(f.value, 1)} → ${round(value, 1)} ${f.unit}`);
    }
    penalty += f.weight * penaltyShare(value, f.thresholds.warn, f.thresholds.critical);
  }
  return { score: round(clamp(100 - penalty, 0, 100), 1), drivers };
}

export async function forecastFleetHealth(
  ctx: Context,
  options: { siteId?: string; horizonHours?: number; hours?: number; limit?: number } = {},
): Promise<HealthForecast> {
  const horizon = options.horizonHours ?? 24;
  const hours = options.hours ?? 24;
  if (options.siteId && !(await findSite(readDb(ctx), options.siteId)))
    throw new NotFoundError(`Site ${options.siteId} not found`);
  const refs = await listActiveDevices(
    readDb(ctx),
    options.siteId,
    undefined,
    inScope(ctx, { device: devices.deviceId }),
  );
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - 7 * 24 * HOUR_MS);
  const metricsFrom = new Date(now.getTime() - Math.max(hours, 25) * HOUR_MS);
  const out: DeviceForecast[] = [];
  const load = (chunk: readonly SeriesDeviceRef[]) => loadDeviceSeries(readDb(ctx), chunk, from, now, { metricsFrom });
  for await (const { chunk, series } of seriesInChunks(refs, load)) {
    for await (const ref of inTurns(chunk)) {
      const s = series.get(ref.deviceId);
      if (!s) continue;
      const h = computeHealthScore(s, hours);
      const r = computeFailureRisk(s, { horizonHours: horizon });
      const windowStart = s.to - hours * HOUR_MS;
      const readiness = forecastReadiness(
        s.metrics.filter((m) => m.at >= windowStart && m.at <= s.to).map((m) => m.at),
        s.to,
      );
      const state: ForecastState =
        h.state === "waiting_for_first_contact"
          ? "waiting_for_first_contact"
          : h.state === "failed"
            ? "failed"
            : readiness.ready
              ? "projected"
              : "not_enough_data";
      const p = state === "projected" ? projectScore(h, horizon) : { score: null, drivers: [] };
      out.push({
        device_id: ref.deviceId,
        site_id: ref.siteId,
        state,
        current_score: h.score,
        projected_score: p.score,
        note:
          state === "projected"
            ? null
            : state === "waiting_for_first_contact"
              ? "waiting for first contact"
              : state === "failed"
                ? `the device is ${statusText(ref.status)} now`
                : notEnoughDataText(readiness.needsMinutes),
        failure_probability: state === "waiting_for_first_contact" ? 0 : r.probability,
        drivers: p.drivers,
        confidence: round(Math.min(h.confidence, r.confidence), 2),
      });
    }
  }
  const current = out.map((d) => d.current_score).filter((x): x is number => x !== null);
  const projected = out.map((d) => d.projected_score).filter((x): x is number => x !== null);
  out.sort(
    (a, b) => (a.projected_score ?? 101) - (b.projected_score ?? 101) || b.failure_probability - a.failure_probability,
  );
  return {
    horizon_hours: horizon,
    generated_at: now.toISOString(),
    window: { start: new Date(now.getTime() - hours * HOUR_MS).toISOString(), end: now.toISOString(), hours },
    devices_evaluated: out.length,
    devices_not_projected: out.filter((d) => d.state !== "projected").length,
    current_mean_score: current.length ? round(mean(current) as number, 1) : null,
    projected_mean_score: projected.length ? round(mean(projected) as number, 1) : null,
    expected_failures: round(
      out.reduce((s, d) => s + d.failure_probability, 0),
      2,
    ),
    devices: out.slice(0, options.limit ?? 100),
  };
}
