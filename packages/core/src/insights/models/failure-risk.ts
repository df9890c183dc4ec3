import { type HealthScore, plural } from "./health-score.ts";
import { forecastReadiness, notEnoughDataText } from "./readiness.ts";
import {
  type DeviceSeries,
  HOUR_MS,
  isFailureState,
  isWaitingForFirstContact,
  type MetricKey,
  metricPoints,
  metricValues,
} from "./series.ts";
import { clamp, hoursToThreshold, median, noisyOr, round, sampleConfidence, shrunkRate, theilSen } from "./stats.ts";

export interface RiskFactor {
  factor: string;
  /** This factor's own probability of a failure within the horizon; they combine as a noisy-OR. */
  probability: number;
  value: number | null;
  unit: string;
  detail: string;
  samples: number;
  /** Describes the device's present state (already failing, or its usual failure rate) rather than something building up. */
  current_state: boolean;
}

/**
 * assessed: the probability is a forecast; failed: the device is in error/offline now, so there is nothing left
 * to predict (the probability only says so); waiting_for_first_contact: it never reported, nothing to assess.
 */
export type RiskState = "assessed" | "failed" | "waiting_for_first_contact";
export type RiskLevel = "low" | "medium" | "high" | "critical" | "failed" | "unknown";

export interface FailureRisk {
  state: RiskState;
  probability: number;
  /**
   * The part of the probability that is building up: the same noisy-OR without the factors that describe the
   * present (already in error, a resource already at its failure level, the device's usual failure rate). A
   * device that often flips to error has a high `probability` every hour; this says whether something new
   * is coming (what alarms and the backtest use).
   */
  elevated_probability: number;
  risk_level: RiskLevel;
  /** Why the level is higher than the probability alone says (critical health factors), else null. */
  level_reason: string | null;
  confidence: number;
  horizon_hours: number;
  /** Earliest projected time a resource reaches its failure level, when a trend points there. */
  estimated_failure_at: string | null;
  /**
   * Why resource trends were not projected: "not enough data yet (needs N more minutes)" while the device's
   * metric history is shorter than MIN_FORECAST_SPAN_MINUTES or has fewer than MIN_FORECAST_SAMPLES samples
   * (a resource already at its failure level still counts: that is the present, not a projection). Else null.
   */
  trend_note: string | null;
  factors: RiskFactor[];
  window: { start: string; end: string; hours: number };
  sample_size: {
    metrics: number;
    health_checks: number;
    state_changes: number;
    errors: number;
    config_changes: number;
  };
}

export interface RiskOptions {
  horizonHours: number;
  /** How far back slopes are fitted (default 2 h). */
  trendHours?: number;
  /** How far back the device's own base rates (errors, failed checks, failures) are read (default 7 days). */
  baselineHours?: number;
  /**
   * The same device's series with its load-driven metrics relative to its site's other devices (`peerAdjust`).
   * With it, a CPU climb the site's load does not explain is projected to saturation (`cpu_trend`); without it
   * (a site of fewer than three devices, a single-device query) CPU is left out: load alone moves it.
   */
  peers?: DeviceSeries;
}

/**
 * Levels at which a resource is taken to make the device fail, and the least data a slope needs. CPU is
 * not among them: it follows the shop's load (see `CPU_SATURATION` for the load-adjusted CPU trend).
 */
const EXHAUSTION: readonly { key: MetricKey; label: string; limit: number; unit: string; minNoise: number }[] = [
  { key: "memory", label: "Memory exhaustion", limit: 97, unit: "%", minNoise: 0.5 },
  { key: "disk", label: "Disk full", limit: 98, unit: "%", minNoise: 0.2 },
  { key: "latency", label: "Network timeouts", limit: 2000, unit: "ms", minNoise: 10 },
  { key: "error_rate", label: "Error rate", limit: 25, unit: "%", minNoise: 0.3 },
];

/** CPU at which a terminal stops keeping up (the POS app no longer answers), and the noise floor of its trend. */
const CPU_SATURATION = { limit: 98, minNoise: 1.5 };

/** Variance inflation of failed health checks: unhealthy reports cluster in episodes (about 4 reports long). */
const OVERDISPERSION = 4;

/** The shorter trend windows: they see a fault that began less than an hour (a quarter of an hour) ago. */
const SHORT_TRENDS_MS = [30 * 60_000, 15 * 60_000];

/** Recent window for levels and rate comparisons. */
const RECENT_MS = HOUR_MS;

/**
 * Probability that a resource trend reaches its failure level within the horizon: high when the
 * projected crossing is inside it, decaying beyond it, and scaled by how clearly the series trends
 * (most pairwise slopes agree and the rise exceeds the noise several times).
 */
export function exhaustionProbability(
  points: readonly { t: number; v: number }[],
  limit: number,
  horizonHours: number,
  minNoise: number,
): { p: number; etaHours: number | null; slope: number | null; level: number | null; reliability: number } {
  const trend = theilSen(points, 0.2);
  if (!trend || trend.n < 6) return { p: 0, etaHours: null, slope: null, level: null, reliability: 0 };
  const rise = trend.slopePerHour * trend.spanHours;
  const noise = Math.max(trend.noise, minNoise);
  const reliability = clamp((trend.consistency - 0.55) / 0.25) * clamp((rise / noise - 2) / 4);
  const eta = hoursToThreshold(trend, limit);
  if (eta === null) return { p: 0, etaHours: null, slope: trend.slopePerHour, level: trend.level, reliability };
  if (eta === 0) return { p: 0.95, etaHours: 0, slope: trend.slopePerHour, level: trend.level, reliability: 1 };
  const timing = eta <= horizonHours ? 1 : Math.exp(-(eta - horizonHours) / horizonHours);
  return { p: 0.95 * timing * reliability, etaHours: eta, slope: trend.slopePerHour, level: trend.level, reliability };
}

/** Probability from a count that exceeds what the device's own base rate predicts (one-sided Poisson z). */
export function excessCountProbability(observed: number, expected: number, pMax: number): { p: number; z: number } {
  const z = (observed - expected) / Math.sqrt(expected + 1);
  return { p: pMax * clamp((z - 2) / 4), z };
}

/** Failure risk of one device over the next `horizonHours`, every factor explained. */
export function computeFailureRisk(series: DeviceSeries, options: RiskOptions): FailureRisk {
  const horizon = options.horizonHours;
  const now = series.to;
  const trendStart = now - (options.trendHours ?? 2) * HOUR_MS;
  const baselineStart = now - (options.baselineHours ?? 7 * 24) * HOUR_MS;
  const recentStart = now - RECENT_MS;
  const factors: RiskFactor[] = [];
  let eta: number | null = null;

  if (isFailureState(series.status)) {
    factors.push({
      factor: "current_status",
      probability: 1,
      value: null,
      unit: "",
      detail: `the device is ${statusText(series.status)} now`,
      samples: 1,
      current_state: true,
    });
  }

  // A slope over a quarter of an hour says little: "42 → 100 %" needs history behind it.
  const readiness = forecastReadiness(
    series.metrics.filter((m) => m.at <= now).map((m) => m.at),
    now,
  );
  for (const e of EXHAUSTION) {
    const { r, points } = clearestTrend(series.metrics, e.key, e.limit, e.minNoise, trendStart, now, horizon);
    if (r.slope === null) continue;
    if (!readiness.ready && r.etaHours !== 0) continue;
    if (r.etaHours !== null && r.p > 0.05) eta = eta === null ? r.etaHours : Math.min(eta, r.etaHours);
    const where =
      r.etaHours === null
        ? "not heading to its failure level"
        : r.etaHours === 0
          ? `at or above ${e.limit}${e.unit}`
          : `${round(r.etaHours, 1)} h to ${e.limit}${e.unit} at this rate`;
    const span = points.length > 1 ? ((points[points.length - 1]?.t ?? 0) - (points[0]?.t ?? 0)) * 60 : 0;
    factors.push({
      factor: `${e.key}_trend`,
      probability: round(r.p, 3),
      value: round(r.slope, 3),
      unit: `${e.unit}/h`,
      detail: `${e.label}: now ${round(r.level ?? 0, 1)}${e.unit}, ${r.slope >= 0 ? "+" : ""}${round(r.slope, 2)}${e.unit}/h over ${round(span, 0)} min; ${where}`,
      samples: points.length,
      current_state: r.etaHours === 0,
    });
  }

  const cpu = options.peers?.peerAdjusted ? cpuTrend(series, options.peers, trendStart, now, horizon) : null;
  if (cpu && (readiness.ready || cpu.current_state)) {
    if (cpu.eta !== null && cpu.probability > 0.05) eta = eta === null ? cpu.eta : Math.min(eta, cpu.eta);
    factors.push(cpu.factor);
  }

  // Failed health checks in the last hour against the device's own failure rate before it.
  const recentChecks = series.checks.filter((c) => c.at > recentStart && c.at <= now);
  if (recentChecks.length > 0) {
    const base = series.checks.filter((c) => c.at >= baselineStart && c.at <= recentStart);
    const baseFailed = base.filter((c) => !c.healthy).length;
    // The fleet-wide normal (about 15 % unhealthy reports) is the prior for a device with little history.
    const rate = shrunkRate(baseFailed, base.length, 0.15, 20);
    const failed = recentChecks.filter((c) => !c.healthy).length;
    const n = recentChecks.length;
    // Failures come in episodes of several reports, not one by one: the variance is inflated accordingly.
    const z = (failed - n * rate) / Math.sqrt(OVERDISPERSION * n * rate * (1 - rate) + 0.25);
    factors.push({
      factor: "health_check_failures",
      // Failed checks show trouble now more than a failure ahead: on their own they stay below an alarm.
      probability: round(0.45 * clamp((z - 2) / 3), 3),
      value: round((100 * failed) / n, 1),
      unit: "%",
      detail: `${failed} of ${plural(n, "check")} failed in the last hour (usual ${round(100 * rate, 1)} %)`,
      samples: n + base.length,
      current_state: false,
    });
  }

  // Errors logged for the device in the last hour against its own rate before.
  const baseErrors = series.errors.filter((e) => e.at >= baselineStart && e.at <= recentStart).length;
  const recentErrors = series.errors.filter((e) => e.at > recentStart && e.at <= now).length;
  const baseHours = Math.max(1, (recentStart - Math.max(baselineStart, series.from)) / HOUR_MS);
  if (recentErrors + baseErrors > 0) {
    // A weak prior (half an error per hour) lets a short history speak; errors show trouble now more than a failure ahead.
    const expected = ((baseErrors + 0.5) / (baseHours + 1)) * (RECENT_MS / HOUR_MS);
    const r = excessCountProbability(recentErrors, expected, 0.45);
    factors.push({
      factor: "recent_errors",
      probability: round(r.p, 3),
      value: recentErrors,
      unit: "errors/h",
      detail: `${plural(recentErrors, "error")} in the last hour, ${round(expected, 2)} expected from the device's history`,
      samples: recentErrors + baseErrors,
      current_state: false,
    });
  }

  // The latest configuration change and its measured impact.
  const config = [...series.configs]
    .filter((c) => c.at <= now && c.at >= now - 24 * HOUR_MS)
    .sort((a, b) => b.at - a.at)[0];
  if (config) {
    const impact = configImpact(series, config.at);
    let p = 0.02;
    let detail = `config change (${config.parameter}) ${round((now - config.at) / HOUR_MS, 1)} h ago`;
    if (config.rolledBack || config.successful === false) {
      p = 0.5;
      detail += config.rolledBack ? ", rolled back" : ", marked unsuccessful";
    } else if (impact) {
      p = Math.max(p, 0.75 * impact.degradation);
      detail += `; error rate ${round(impact.errorBefore, 2)} → ${round(impact.errorAfter, 2)} %, latency ${round(impact.latencyBefore, 0)} → ${round(impact.latencyAfter, 0)} ms`;
    } else {
      detail += "; impact not measured yet";
    }
    factors.push({
      factor: "config_change",
      probability: round(p, 3),
      value: impact ? round(impact.degradation, 3) : null,
      unit: "degradation",
      detail,
      samples: impact?.samples ?? 0,
      current_state: false,
    });
  }

  // The device's own history of failures: a base rate turned into a chance within the horizon.
  const failures = series.states.filter((s) => s.at >= baselineStart && s.at <= now && isFailureState(s.to)).length;
  const observedHours = Math.max(0, (now - Math.max(baselineStart, series.from)) / HOUR_MS);
  if (observedHours > 0) {
    const rate = (failures + 0.05) / (observedHours + 24);
    factors.push({
      factor: "failure_history",
      probability: round(1 - Math.exp(-rate * horizon), 3),
      value: failures,
      unit: "failures",
      detail: `${plural(failures, "transition")} to error/offline in the last ${round(observedHours, 0)} h`,
      samples: series.states.length,
      current_state: true,
    });
  }

  const probability = factors.length > 0 ? noisyOr(factors.map((f) => f.probability)) : 0;
  const elevated = noisyOr(factors.filter((f) => !f.current_state).map((f) => f.probability));
  const metricCount = series.metrics.filter((m) => m.at >= trendStart && m.at <= now).length;
  const checkCount = series.checks.filter((c) => c.at >= baselineStart && c.at <= now).length;
  const confidence = round(
    sampleConfidence(metricCount, 15) * 0.7 + sampleConfidence(checkCount + series.states.length, 20) * 0.3,
    2,
  );
  const waiting = isWaitingForFirstContact(series);
  const failedNow = !waiting && isFailureState(series.status);
  return {
    state: waiting ? "waiting_for_first_contact" : failedNow ? "failed" : "assessed",
    probability: waiting ? 0 : round(probability, 3),
    elevated_probability: waiting ? 0 : round(elevated, 3),
    risk_level: waiting ? "unknown" : failedNow ? "failed" : levelOf(probability),
    level_reason: null,
    confidence,
    horizon_hours: horizon,
    estimated_failure_at: eta === null ? null : new Date(now + eta * HOUR_MS).toISOString(),
    trend_note: waiting || failedNow || readiness.ready ? null : notEnoughDataText(readiness.needsMinutes),
    factors: waiting ? [] : factors.sort((a, b) => b.probability - a.probability),
    window: {
      start: new Date(Math.max(baselineStart, series.from)).toISOString(),
      end: new Date(now).toISOString(),
      hours: round(observedHours, 2),
    },
    sample_size: {
      metrics: metricCount,
      health_checks: checkCount,
      state_changes: series.states.length,
      errors: recentErrors + baseErrors,
      config_changes: series.configs.length,
    },
  };
}

/**
 * The exhaustion probability at the scale that shows it most clearly: the long window (steadier) or a shorter one
 * (a fault that began recently), each fitted on its own points.
 */
function clearestTrend(
  metrics: DeviceSeries["metrics"],
  key: MetricKey,
  limit: number,
  minNoise: number,
  trendStart: number,
  now: number,
  horizon: number,
) {
  let points = metricPoints(metrics, key, trendStart, now);
  let r = exhaustionProbability(points, limit, horizon, minNoise);
  for (const ms of SHORT_TRENDS_MS) {
    const shortPoints = metricPoints(metrics, key, Math.max(trendStart, now - ms), now);
    const short = exhaustionProbability(shortPoints, limit, horizon, minNoise);
    if (short.p > r.p) {
      r = short;
      points = shortPoints;
    }
  }
  return { r, points };
}

/**
 * CPU beyond the site's load: the trend of the device's CPU minus its site's median (what the shop's load does
 * not explain), projected from the device's CPU now to saturation. Both scales, as the other resources.
 */
function cpuTrend(series: DeviceSeries, peers: DeviceSeries, trendStart: number, now: number, horizon: number) {
  // The site's share of the CPU now: raw minus relative over the last 15 minutes (median: robust to a missed bucket).
  const raw = new Map(series.metrics.filter((m) => m.at > now - 15 * 60_000 && m.at <= now).map((m) => [m.at, m.cpu]));
  const offsets: number[] = [];
  for (const m of peers.metrics) {
    const r = raw.get(m.at);
    if (r !== undefined && r !== null && m.cpu !== null) offsets.push(r - m.cpu);
  }
  const site = median(offsets);
  if (site === null) return null;
  const limit = CPU_SATURATION.limit - site;
  const { r, points } = clearestTrend(peers.metrics, "cpu", limit, CPU_SATURATION.minNoise, trendStart, now, horizon);
  if (r.slope === null) return null;
  const level = (r.level ?? 0) + site;
  const where =
    r.etaHours === null
      ? "not heading to saturation"
      : r.etaHours === 0
        ? `at or above ${CPU_SATURATION.limit} %`
        : `${round(r.etaHours, 1)} h to ${CPU_SATURATION.limit} % at this rate`;
  const span = points.length > 1 ? ((points[points.length - 1]?.t ?? 0) - (points[0]?.t ?? 0)) * 60 : 0;
  const factor: RiskFactor = {
    factor: "cpu_trend",
    probability: round(r.p, 3),
    value: round(r.slope, 3),
    unit: "%/h",
    detail: `CPU saturation: now ${round(level, 1)} %, ${r.slope >= 0 ? "+" : ""}${round(r.slope, 2)} %/h beyond the site's load over ${round(span, 0)} min; ${where}`,
    samples: points.length,
    current_state: r.etaHours === 0,
  };
  return { factor, eta: r.etaHours, probability: r.p, current_state: r.etaHours === 0 };
}

function levelOf(probability: number): RiskLevel {
  return probability >= 0.75 ? "critical" : probability >= 0.5 ? "high" : probability >= 0.2 ? "medium" : "low";
}

/** "in error", "offline", "in maintenance". */
export function statusText(status: string): string {
  return status === "error" || status === "maintenance" ? `in ${status}` : status;
}

const LEVEL_RANK: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * Makes the risk level agree with the health score: a device with critical health factors is not "low" risk.
 * One critical factor (or a degraded score) makes it at least medium, two or more (or a critical score) at
 * least high. The probability stays what the model says; `level_reason` explains a raised level.
 */
export function alignRiskWithHealth(risk: FailureRisk, health: HealthScore): FailureRisk {
  if (risk.state !== "assessed" || health.score === null) return risk;
  const critical = health.factors.filter((f) => f.status === "critical");
  let floor: RiskLevel = "low";
  if (critical.length >= 2 || health.grade === "critical") floor = "high";
  else if (critical.length === 1 || health.grade === "degraded") floor = "medium";
  if ((LEVEL_RANK[floor] ?? 0) <= (LEVEL_RANK[risk.risk_level] ?? 0)) return risk;
  const why =
    critical.length > 0
      ? `${plural(critical.length, "critical health factor")} (${critical.map((f) => f.label.toLowerCase()).join(", ")})`
      : `health score ${health.score} (${health.grade})`;
  return { ...risk, risk_level: floor, level_reason: `raised to ${floor}: ${why}` };
}

/**
 * Right after a configuration is applied the app restarts and runs on cold caches: a few minutes of slowdown that
 * says nothing about the new configuration, so its impact is measured from this long after the change.
 */
export const CONFIG_SETTLE_MS = 5 * 60_000;

/**
 * How much worse the device got after a change: the typical (median) error rate and latency in the hour after it
 * settled vs the hour before (0 = no worse, 1 = severely worse). Medians, because a bad configuration degrades
 * every report while a short unhealthy episode that happens to follow a change only moves a few. Null until both
 * sides have at least 3 samples.
 */
export function configImpact(series: DeviceSeries, at: number) {
  const before = (k: MetricKey) => metricValues(series.metrics, k, at - HOUR_MS, at - 1);
  const after = (k: MetricKey) =>
    metricValues(series.metrics, k, at + CONFIG_SETTLE_MS, Math.min(series.to, at + HOUR_MS));
  const eb = before("error_rate");
  const ea = after("error_rate");
  const lb = before("latency");
  const la = after("latency");
  if (Math.min(eb.length, ea.length) < 3 && Math.min(lb.length, la.length) < 3) return null;
  const errorBefore = median(eb) ?? 0;
  const errorAfter = median(ea) ?? errorBefore;
  const latencyBefore = median(lb) ?? 0;
  const latencyAfter = median(la) ?? latencyBefore;
  const errorWorse = clamp((errorAfter - errorBefore) / 5);
  const latencyWorse = latencyBefore > 0 ? clamp((latencyAfter / latencyBefore - 1.2) / 1.8) : 0;
  return {
    degradation: Math.max(errorWorse, latencyWorse),
    errorBefore,
    errorAfter,
    latencyBefore,
    latencyAfter,
    samples: eb.length + ea.length + lb.length + la.length,
  };
}
