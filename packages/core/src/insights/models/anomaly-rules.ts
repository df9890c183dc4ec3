import { localParts, phaseAt, type ScheduleDay } from "../../schedules/opening-hours.ts";
import { type DeviceSeries, HOUR_MS, type MetricKey, MINUTE_MS, metricValues } from "./series.ts";
import { median, robustZ, round } from "./stats.ts";

export type AnomalyKind =
  | "metric_outlier"
  | "outside_hours_activity"
  | "state_flapping"
  | "job_failure_spike"
  | "device_silent"
  | "intermittent_connectivity";

export interface Anomaly {
  kind: AnomalyKind;
  severity: "warning" | "critical";
  device_id: string | null;
  site_id: string | null;
  metric: string | null;
  title: string;
  /** How far from normal (robust z, or the test statistic of the kind). */
  score: number;
  /** The same ongoing condition keeps the same fingerprint, so it is stored once. */
  fingerprint: string;
  detected_at: string;
  details: Record<string, unknown>;
}

export interface OutlierOptions {
  /** The recent stretch compared with the baseline (median of its samples): it must last about half of it. Default 15 min. */
  recentMinutes?: number;
  /** The device's own baseline before the recent stretch. Default 24 h. */
  baselineHours?: number;
  /** Left out between baseline and recent stretch, so a slow ramp is not absorbed into its own baseline. Default 50 min. */
  gapMinutes?: number;
  /** |z| at which a value is an outlier (default 3.5, Iglewicz–Hoaglin). */
  threshold?: number;
  /** Fewest baseline samples a verdict needs. Default 20. */
  minBaseline?: number;
}

/** Floors under the baseline's spread, in the metric's units, so a flat baseline does not make every wiggle an outlier. */
export const MIN_MAD: Record<MetricKey, number> = {
  cpu: 2,
  memory: 1.5,
  disk: 0.5,
  latency: 15,
  error_rate: 0.5,
  transactions: 2,
};
/**
 * Transactions follow the shop's hours: the operating-hours check judges them. Disk usage moves slowly and
 * is judged by its trend (failure risk); a disk level that jumps and falls back within minutes is a
 * transient report, not a disk filling up.
 */
const OUTLIER_METRICS: readonly MetricKey[] = ["cpu", "memory", "latency", "error_rate"];
const LABEL: Record<MetricKey, string> = {
  cpu: "CPU",
  memory: "Memory",
  disk: "Disk",
  latency: "Network latency",
  error_rate: "Error rate",
  transactions: "Transactions",
};

/** Metric outliers of one device against its own baseline: robust z of the recent median. */
export function detectMetricOutliers(series: DeviceSeries, options: OutlierOptions = {}): Anomaly[] {
  const recentMs = (options.recentMinutes ?? 15) * MINUTE_MS;
  const baselineMs = (options.baselineHours ?? 24) * HOUR_MS;
  const threshold = options.threshold ?? 3.5;
  const minBaseline = options.minBaseline ?? 20;
  const gapMs = (options.gapMinutes ?? 50) * MINUTE_MS;
  const now = series.to;
  const out: Anomaly[] = [];
  for (const key of OUTLIER_METRICS) {
    const recent = metricValues(series.metrics, key, now - recentMs, now);
    const baselineEnd = now - recentMs - gapMs;
    const baseline = metricValues(series.metrics, key, baselineEnd - baselineMs, baselineEnd - 1);
    if (recent.length === 0 || baseline.length < minBaseline) continue;
    const value = median(recent) as number;
    const r = robustZ(value, baseline, MIN_MAD[key]);
    if (!r || Math.abs(r.z) < threshold) continue;
    const relative = series.peerAdjusted === true && PEER_ADJUSTED.includes(key);
    // Higher is the bad direction of every metric here; a device that looks low against its site's other
    // devices is usually a peer that went high (and a crashed process already shows in its status).
    if (r.z < 0) continue;
    out.push(
      ofDevice(series, "metric_outlier", `${key}:${r.z > 0 ? "high" : "low"}`, {
        severity: Math.abs(r.z) >= 7 ? "critical" : "warning",
        metric: key,
        title: relative
          ? `${LABEL[key]} ${r.z > 0 ? "above" : "below"} the site's other devices by ${round(Math.abs(value), 1)} (usually ${r.median >= 0 ? "+" : ""}${round(r.median, 1)})`
          : `${LABEL[key]} ${r.z > 0 ? "above" : "below"} this device's normal: ${round(value, 1)} vs median ${round(r.median, 1)}`,
        score: round(r.z, 2),
        detected_at: new Date(now).toISOString(),
        details: {
          value: round(value, 3),
          relative_to_site_peers: relative,
          baseline_median: round(r.median, 3),
          baseline_mad: round(r.mad, 3),
          z: round(r.z, 2),
          threshold,
          recent_samples: recent.length,
          baseline_samples: baseline.length,
          window: {
            start: new Date(now - recentMs - gapMs - baselineMs).toISOString(),
            end: new Date(now).toISOString(),
          },
        },
      }),
    );
  }
  return out;
}

/**
 * Transactions of each sample. Health reports carry a running total of the day (transactions_today), the
 * metrics endpoint a count per sample: a series that never drops (but for a daily reset) is a running
 * total, and its increments are the transactions.
 */
export function transactionActivity(rows: readonly { at: number; transactions: number | null }[]): number[] {
  let pairs = 0;
  let drops = 0;
  let rises = 0;
  let prev: number | null = null;
  for (const r of rows) {
    if (r.transactions === null) continue;
    if (prev !== null) {
      pairs += 1;
      if (r.transactions < prev) drops += 1;
      if (r.transactions > prev) rises += 1;
    }
    prev = r.transactions;
  }
  const cumulative = pairs >= 5 && rises > 0 && drops / pairs <= 0.05;
  prev = null;
  return rows.map((r) => {
    if (r.transactions === null) return 0;
    const before = prev;
    prev = r.transactions;
    if (!cumulative) return r.transactions;
    if (before === null) return 0;
    return r.transactions >= before ? r.transactions - before : r.transactions;
  });
}

/** Transactions recorded while the site's schedule says it is closed. */
export function detectOutsideHours(
  series: DeviceSeries,
  schedule: readonly ScheduleDay[],
  timeZone: string,
  recentHours = 1,
  minTransactions = 5,
): Anomaly[] {
  if (schedule.length === 0) return [];
  const since = series.to - recentHours * HOUR_MS;
  const activity = transactionActivity(series.metrics);
  let closedSamples = 0;
  let transactions = 0;
  let firstAt: number | null = null;
  series.metrics.forEach((r, i) => {
    const n = activity[i] ?? 0;
    if (r.at < since || r.at > series.to || n <= 0) return;
    const lp = localParts(r.at, timeZone);
    if (phaseAt(schedule, lp.dow, lp.minute) !== "closed") return;
    closedSamples += 1;
    transactions += n;
    firstAt = firstAt === null ? r.at : Math.min(firstAt, r.at);
  });
  if (transactions < minTransactions || closedSamples < 2) return [];
  return [
    ofDevice(series, "outside_hours_activity", null, {
      severity: transactions >= 10 * minTransactions ? "critical" : "warning",
      metric: "transactions",
      title: `${transactions} transactions while the site is closed`,
      score: transactions,
      detected_at: new Date(series.to).toISOString(),
      details: {
        transactions,
        samples: closedSamples,
        first_at: firstAt === null ? null : new Date(firstAt).toISOString(),
        time_zone: timeZone,
        window_hours: recentHours,
      },
    }),
  ];
}

/** Variance inflation of status-change counts (see detectFlapping). */
export const FLAPPING_OVERDISPERSION = 5;

/** More status changes in the last hour than the device's own history makes plausible (at least `minChanges`). */
export function detectFlapping(
  series: DeviceSeries,
  recentHours = 1,
  baselineHours = 7 * 24,
  minChanges = 6,
): Anomaly[] {
  const now = series.to;
  const recentStart = now - recentHours * HOUR_MS;
  const baseStart = Math.max(series.from, now - baselineHours * HOUR_MS);
  const recent = series.states.filter((s) => s.at > recentStart && s.at <= now).length;
  const base = series.states.filter((s) => s.at >= baseStart && s.at <= recentStart).length;
  const baseHours = Math.max(0, (recentStart - baseStart) / HOUR_MS);
  // Half a change per hour of prior keeps a new device from looking alarming after two restarts.
  const expected = ((base + 0.5) / (baseHours + 1)) * recentHours;
  // Status changes come in bursts (an unhealthy episode flips twice, and episodes cluster in bad stretches): the
  // variance is inflated 5× (at 3×, a run of short background episodes alarmed in the backtest's dev seeds).
  const z = (recent - expected) / Math.sqrt(FLAPPING_OVERDISPERSION * expected + 1);
  // Three hours of history at least: a shorter one cannot say what is usual for this device.
  if (baseHours < 3 || recent < minChanges || z < 3) return [];
  return [
    ofDevice(series, "state_flapping", null, {
      severity: recent >= 2 * minChanges ? "critical" : "warning",
      metric: "status",
      title: `${recent} status changes in the last ${recentHours} h (about ${round(expected, 2)} expected)`,
      score: round(z, 2),
      detected_at: new Date(now).toISOString(),
      details: {
        changes: recent,
        expected: round(expected, 3),
        baseline_changes: base,
        baseline_hours: round(baseHours, 1),
        z: round(z, 2),
      },
    }),
  ];
}

export interface JobOutcomeRow {
  at: number;
  failed: boolean;
  siteId: string | null;
}

/** The job failure rate of the last `recentHours` against the `baselineHours` before (one-sided binomial z ≥ 3, at least 3 failures). */
export function detectJobFailureSpike(
  outcomes: readonly JobOutcomeRow[],
  now: number,
  scope: string | null,
  recentHours = 24,
  baselineHours = 7 * 24,
): Anomaly[] {
  const recentStart = now - recentHours * HOUR_MS;
  const baseStart = recentStart - baselineHours * HOUR_MS;
  const recent = outcomes.filter((o) => o.at > recentStart && o.at <= now);
  const base = outcomes.filter((o) => o.at > baseStart && o.at <= recentStart);
  const failed = recent.filter((o) => o.failed).length;
  const baseFailed = base.filter((o) => o.failed).length;
  const rate = (baseFailed + 1) / (base.length + 10);
  const n = recent.length;
  if (n === 0) return [];
  const z = (failed - n * rate) / Math.sqrt(n * rate * (1 - rate));
  if (failed < 3 || z < 3) return [];
  return [
    {
      kind: "job_failure_spike",
      severity: failed / n >= 0.5 ? "critical" : "warning",
      device_id: null,
      site_id: scope,
      metric: "job_failure_rate",
      title: `${failed} of ${n} job outcomes failed in the last ${recentHours} h (usual ${round(100 * rate, 1)} %)`,
      score: round(z, 2),
      fingerprint: `job_failure_spike:${scope ?? "fleet"}`,
      detected_at: new Date(now).toISOString(),
      details: {
        failed,
        total: n,
        baseline_failed: baseFailed,
        baseline_total: base.length,
        baseline_rate: round(rate, 4),
        z: round(z, 2),
      },
    },
  ];
}

/**
 * A device that stopped reporting: silent for more than `factor` times its own usual interval between
 * samples (and at least `minSilentMinutes`). Needs 5 samples to know the usual interval.
 */
export function detectSilence(series: DeviceSeries, factor = 4, minSilentMinutes = 3): Anomaly[] {
  const times = series.metrics.map((m) => m.at).filter((t) => t <= series.to);
  if (times.length < 5) return [];
  const recent = times.slice(-21);
  const gaps = recent.slice(1).map((t, i) => t - (recent[i] as number));
  const usual = median(gaps) as number;
  const last = recent[recent.length - 1] as number;
  const silentMs = series.to - last;
  const limit = Math.max(factor * usual, minSilentMinutes * MINUTE_MS);
  if (silentMs <= limit) return [];
  return [
    ofDevice(series, "device_silent", null, {
      severity: silentMs > 3 * limit ? "critical" : "warning",
      metric: "reports",
      title: `No report for ${round(silentMs / MINUTE_MS, 1)} min (usually every ${round(usual / 1000, 0)} s)`,
      score: round(silentMs / Math.max(usual, 1), 2),
      detected_at: new Date(series.to).toISOString(),
      details: {
        last_report_at: new Date(last).toISOString(),
        silent_seconds: round(silentMs / 1000, 0),
        usual_interval_seconds: round(usual / 1000, 1),
        samples: recent.length,
      },
    }),
  ];
}

/**
 * Intermittent connectivity: a device that keeps dropping out for a report or two (gaps longer than `factor` times
 * its usual interval, at least `minGaps` of them in the last `windowMinutes`) though it never goes quiet long enough
 * to count as silent or offline.
 */
export function detectIntermittentGaps(
  series: DeviceSeries,
  options: { windowMinutes?: number; minGaps?: number; factor?: number } = {},
): Anomaly[] {
  const { windowMinutes = 30, minGaps = 3, factor = 1.8 } = options;
  const times = series.metrics.map((m) => m.at).filter((t) => t <= series.to);
  if (times.length < 10) return [];
  const gaps = times.slice(-60).flatMap((t, i, all) => (i === 0 ? [] : [{ at: t, ms: t - (all[i - 1] as number) }]));
  const usual = median(gaps.map((g) => g.ms)) as number;
  const long = gaps.filter((g) => g.at >= series.to - windowMinutes * MINUTE_MS && g.ms > factor * usual);
  if (long.length < minGaps) return [];
  const missedMs = long.reduce((sum, g) => sum + g.ms - usual, 0);
  return [
    ofDevice(series, "intermittent_connectivity", null, {
      severity: "warning",
      metric: "reports",
      title: `${long.length} dropouts in the last ${windowMinutes} min (about ${round(missedMs / MINUTE_MS, 1)} min of missed reports, usually every ${round(usual / 1000, 0)} s)`,
      score: round(long.length / minGaps, 2),
      detected_at: new Date(series.to).toISOString(),
      details: { dropouts: long.length, window_minutes: windowMinutes, usual_interval_seconds: round(usual / 1000, 1) },
    }),
  ];
}

/** Metrics that follow the site's load (opening, peak hours) and are compared with the site's other devices. */
export const PEER_ADJUSTED: readonly MetricKey[] = ["cpu", "memory", "latency", "error_rate"];

/**
 * Each device's load-driven metrics minus the median of its site's devices in the same time bucket, so
 * opening hours and peaks (which move every device of a site together) do not look like outliers; what
 * is left is what this device does differently. Buckets with fewer than `minPeers` reporting devices keep
 * their samples out (no verdict rather than a wrong one). Sites with fewer devices are left unchanged.
 */
export function peerAdjust(
  list: readonly DeviceSeries[],
  bucketMs = 5 * MINUTE_MS,
  minPeers = 3,
): Map<string, DeviceSeries> {
  const out = new Map<string, DeviceSeries>();
  const bySite = new Map<string, DeviceSeries[]>();
  for (const s of list) {
    const l = bySite.get(s.siteId);
    if (l) l.push(s);
    else bySite.set(s.siteId, [s]);
  }
  for (const group of bySite.values()) {
    if (group.length < minPeers) {
      for (const s of group) out.set(s.deviceId, s);
      continue;
    }
    // bucket → metric → per-device mean
    const centre = new Map<number, Partial<Record<MetricKey, number>>>();
    const perDevice = new Map<number, Map<string, Partial<Record<MetricKey, number[]>>>>();
    for (const s of group) {
      for (const r of s.metrics) {
        const b = Math.floor(r.at / bucketMs);
        let devs = perDevice.get(b);
        if (!devs) {
          devs = new Map();
          perDevice.set(b, devs);
        }
        let acc = devs.get(s.deviceId);
        if (!acc) {
          acc = {};
          devs.set(s.deviceId, acc);
        }
        for (const k of PEER_ADJUSTED) {
          const v = r[k];
          if (v === null) continue;
          acc[k] ??= [];
          acc[k].push(v);
        }
      }
    }
    for (const [b, devs] of perDevice) {
      const c: Partial<Record<MetricKey, number>> = {};
      for (const k of PEER_ADJUSTED) {
        const means: number[] = [];
        for (const acc of devs.values()) {
          const xs = acc[k];
          if (xs && xs.length > 0) means.push(xs.reduce((a, x) => a + x, 0) / xs.length);
        }
        if (means.length >= minPeers) c[k] = median(means) as number;
      }
      centre.set(b, c);
    }
    for (const s of group) {
      const metrics = s.metrics.map((r) => {
        const c = centre.get(Math.floor(r.at / bucketMs)) ?? {};
        const adj = { ...r };
        for (const k of PEER_ADJUSTED) {
          const m = c[k];
          adj[k] = r[k] === null || m === undefined ? null : (r[k] as number) - m;
        }
        return adj;
      });
      out.set(s.deviceId, { ...s, metrics, peerAdjusted: true });
    }
  }
  return out;
}

/** An anomaly of one device: its ids from the series, its fingerprint the kind and device (and `variant`). */
function ofDevice(
  series: DeviceSeries,
  kind: AnomalyKind,
  variant: string | null,
  a: Pick<Anomaly, "severity" | "metric" | "title" | "score" | "detected_at" | "details">,
): Anomaly {
  return {
    kind,
    severity: a.severity,
    device_id: series.deviceId,
    site_id: series.siteId,
    metric: a.metric,
    title: a.title,
    score: a.score,
    fingerprint: variant === null ? `${kind}:${series.deviceId}` : `${kind}:${series.deviceId}:${variant}`,
    detected_at: a.detected_at,
    details: a.details,
  };
}
