import { plural } from "../../plural.ts";
import {
  type DeviceSeries,
  HOUR_MS,
  isAvailableState,
  isFailureState,
  isWaitingForFirstContact,
  type MetricKey,
  metricPoints,
  metricValues,
} from "./series.ts";
import { clamp, mean, round, sampleConfidence, theilSen } from "./stats.ts";

export type FactorStatus = "ok" | "warning" | "critical" | "no_data";

export interface HealthFactor {
  factor: string;
  label: string;
  /** The measured value the penalty comes from (null = no data). */
  value: number | null;
  unit: string;
  /** Points of the 100 this factor may take away (after re-weighting for missing factors). */
  weight: number;
  /** Points it does take away (0 … weight); the score is 100 minus the sum. */
  penalty: number;
  status: FactorStatus;
  /** The level where the penalty starts and where it is full. */
  thresholds: { warn: number; critical: number };
  samples: number;
  detail: string;
}

export interface MetricTrend {
  metric: MetricKey;
  current: number | null;
  slope_per_hour: number | null;
  direction: "rising" | "falling" | "stable" | "unknown";
  samples: number;
}

/**
 * scored: the score describes the device; failed: the device is in error/offline now (the score describes its
 * last readings, not its state); no_data: nothing in the window; waiting_for_first_contact: it never reported.
 */
export type HealthState = "scored" | "failed" | "no_data" | "waiting_for_first_contact";

export interface HealthScore {
  state: HealthState;
  /** 0–100, or null when there is no data to score. */
  score: number | null;
  grade: "healthy" | "fair" | "degraded" | "critical" | "unknown";
  confidence: number;
  factors: HealthFactor[];
  trends: MetricTrend[];
  window: { start: string; end: string; hours: number };
  sample_size: { metrics: number; health_checks: number; state_changes: number };
}

/**
 * Each factor: its share of the 100 points and where its penalty starts (warn) and is full (critical).
 * Between the two the penalty grows linearly. Values are "higher is worse" except uptime.
 */
const FACTORS: readonly { key: string; label: string; unit: string; weight: number; warn: number; critical: number }[] =
  [
    { key: "cpu", label: "CPU usage", unit: "%", weight: 15, warn: 70, critical: 95 },
    { key: "memory", label: "Memory usage", unit: "%", weight: 15, warn: 75, critical: 95 },
    { key: "disk", label: "Disk usage", unit: "%", weight: 10, warn: 80, critical: 95 },
    { key: "latency", label: "Network latency", unit: "ms", weight: 10, warn: 200, critical: 1000 },
    { key: "error_rate", label: "Error rate", unit: "%", weight: 15, warn: 1, critical: 10 },
    { key: "health_checks", label: "Failed health checks", unit: "%", weight: 15, warn: 20, critical: 60 },
    { key: "flapping", label: "Status changes", unit: "per hour", weight: 10, warn: 1, critical: 6 },
    { key: "uptime", label: "Downtime", unit: "%", weight: 10, warn: 1, critical: 25 },
  ];

/** Levels are read from the last hour of the window (or the whole window when shorter). */
const RECENT_MS = HOUR_MS;

function minutesText(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return plural(Math.round(minutes / 60), "hour");
}

/** "1 transition", "2 transitions". */
export { plural };

export function penaltyShare(value: number, warn: number, critical: number): number {
  return clamp((value - warn) / (critical - warn));
}

/** Share of [from, to] a device spent available, from its status changes; null without any status information. */
export function availability(
  states: DeviceSeries["states"],
  currentStatus: string,
  from: number,
  to: number,
): number | null {
  if (to <= from) return null;
  const sorted = [...states].sort((a, b) => a.at - b.at);
  // Status at `from`: the last change at or before it; else the first change's previous state; else the current status.
  let status: string | null = null;
  for (const s of sorted) if (s.at <= from) status = s.to;
  if (status === null) status = sorted.find((s) => s.at > from)?.from ?? (sorted.length === 0 ? currentStatus : null);
  let t = from;
  let up = 0;
  let known = 0;
  for (const s of sorted) {
    if (s.at <= from) continue;
    if (s.at > to) break;
    if (status !== null) {
      known += s.at - t;
      if (isAvailableState(status)) up += s.at - t;
    }
    status = s.to;
    t = s.at;
  }
  if (status !== null) {
    known += to - t;
    if (isAvailableState(status)) up += to - t;
  }
  return known > 0 ? up / known : null;
}

export function metricTrend(series: DeviceSeries, key: MetricKey, since: number): MetricTrend {
  const points = metricPoints(series.metrics, key, since, series.to);
  const recent = metricValues(series.metrics, key, Math.max(since, series.to - RECENT_MS), series.to);
  const current = mean(recent.length > 0 ? recent : points.map((p) => p.v));
  const trend = theilSen(points, 0.1);
  if (!trend)
    return {
      metric: key,
      current: current === null ? null : round(current),
      slope_per_hour: null,
      direction: "unknown",
      samples: points.length,
    };
  // A trend is real when the line moves more over the window than the noise around it, and most pairs agree.
  const change = Math.abs(trend.slopePerHour * trend.spanHours);
  const moving = change > Math.max(2 * trend.noise, 0.5) && trend.consistency >= 0.6;
  return {
    metric: key,
    current: current === null ? null : round(current),
    slope_per_hour: round(trend.slopePerHour, 3),
    direction: moving ? (trend.slopePerHour > 0 ? "rising" : "falling") : "stable",
    samples: points.length,
  };
}

/** The device health score: 100 minus each factor's penalty, factors without data left out and re-weighted. */
export function computeHealthScore(series: DeviceSeries, windowHours: number): HealthScore {
  const end = series.to;
  const start = end - windowHours * HOUR_MS;
  const recentStart = Math.max(start, end - RECENT_MS);
  const measured: Record<string, { value: number | null; samples: number; detail: string }> = {};

  for (const key of ["cpu", "memory", "disk", "latency", "error_rate"] as const) {
    const values = metricValues(series.metrics, key, recentStart, end);
    const m = mean(values);
    measured[key] = {
      value: m,
      samples: values.length,
      detail:
        m === null ? "no samples in the last hour" : `mean of ${plural(values.length, "sample")} in the last hour`,
    };
  }

  const checks = series.checks.filter((c) => c.at >= start && c.at <= end);
  const failed = checks.filter((c) => !c.healthy).length;
  measured.health_checks = {
    value: checks.length > 0 ? (100 * failed) / checks.length : null,
    samples: checks.length,
    detail:
      checks.length > 0
        ? `${failed} of ${plural(checks.length, "health check")} failed`
        : "no health checks in the window",
  };

  const changes = series.states.filter((s) => s.at > start && s.at <= end);
  // A device that never reported has no downtime: it is waiting for its first contact, not offline.
  const haveStatusData =
    !isWaitingForFirstContact(series) &&
    (series.states.length > 0 || series.metrics.length > 0 || series.checks.length > 0);
  measured.flapping = {
    value: haveStatusData ? changes.length / windowHours : null,
    samples: changes.length,
    detail: `${plural(changes.length, "status change")} in ${windowHours} h`,
  };

  // Only the time since the device was registered counts: a device online for 15 minutes is 100 % available.
  const availFrom = series.createdAt !== null && series.createdAt > start ? Math.min(series.createdAt, end) : start;
  const avail = haveStatusData ? availability(series.states, series.status, availFrom, end) : null;
  const span = availFrom > start ? `the ${minutesText(end - availFrom)} since it was registered` : "the window";
  measured.uptime = {
    value: avail === null ? null : 100 * (1 - avail),
    samples: changes.length + 1,
    detail: avail === null ? "no status information" : `available ${round(100 * avail, 1)} % of ${span}`,
  };

  const availableWeight = FACTORS.reduce((s, f) => s + (measured[f.key]?.value == null ? 0 : f.weight), 0);
  const factors: HealthFactor[] = FACTORS.map((f) => {
    const m = measured[f.key] ?? { value: null, samples: 0, detail: "no data" };
    if (m.value === null || availableWeight === 0) {
      return {
        factor: f.key,
        label: f.label,
        value: null,
        unit: f.unit,
        weight: 0,
        penalty: 0,
        status: "no_data",
        thresholds: { warn: f.warn, critical: f.critical },
        samples: m.samples,
        detail: m.detail,
      };
    }
    const weight = (100 * f.weight) / availableWeight;
    const share = penaltyShare(m.value, f.warn, f.critical);
    const status: FactorStatus = share === 0 ? "ok" : share < 0.5 ? "warning" : "critical";
    return {
      factor: f.key,
      label: f.label,
      value: round(m.value),
      unit: f.unit,
      weight: round(weight),
      penalty: round(weight * share),
      status,
      thresholds: { warn: f.warn, critical: f.critical },
      samples: m.samples,
      detail: m.detail,
    };
  });

  const metricSamples = series.metrics.filter((r) => r.at >= start && r.at <= end).length;
  const hasMeasurements = metricSamples > 0 || checks.length > 0;
  const score = hasMeasurements ? round(clamp(100 - factors.reduce((s, f) => s + f.penalty, 0), 0, 100), 1) : null;
  // Coverage of the factors times the amount of data behind them.
  const confidence = hasMeasurements
    ? round((availableWeight / 100) * sampleConfidence(metricSamples + checks.length, 12), 2)
    : 0;
  const trends = (["cpu", "memory", "disk", "latency", "error_rate", "transactions"] as const).map((k) =>
    metricTrend(series, k, start),
  );
  const state: HealthState = isWaitingForFirstContact(series)
    ? "waiting_for_first_contact"
    : isFailureState(series.status)
      ? "failed"
      : score === null
        ? "no_data"
        : "scored";
  return {
    state,
    score,
    grade:
      score === null
        ? "unknown"
        : score >= 85
          ? "healthy"
          : score >= 70
            ? "fair"
            : score >= 50
              ? "degraded"
              : "critical",
    confidence,
    factors,
    trends,
    window: { start: new Date(start).toISOString(), end: new Date(end).toISOString(), hours: windowHours },
    sample_size: { metrics: metricSamples, health_checks: checks.length, state_changes: changes.length },
  };
}
