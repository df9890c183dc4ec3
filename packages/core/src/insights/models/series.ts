/**
 * The plain data the insight formulas read: one device's recent history as arrays of numbers and
 * timestamps (ms since epoch). The repository fills it from the database; unit tests build it by hand.
 */
export const METRIC_KEYS = ["cpu", "memory", "disk", "latency", "error_rate", "transactions"] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export interface MetricRow {
  at: number;
  cpu: number | null;
  memory: number | null;
  disk: number | null;
  latency: number | null;
  error_rate: number | null;
  transactions: number | null;
}

export interface CheckRow {
  at: number;
  healthy: boolean;
}

export interface StateRow {
  at: number;
  from: string | null;
  to: string;
}

export interface ConfigRow {
  at: number;
  parameter: string;
  successful: boolean | null;
  rolledBack: boolean;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface ErrorRow {
  at: number;
  category: string;
  severity: string;
  code: string | null;
}

export interface DeviceSeries {
  deviceId: string;
  siteId: string;
  status: string;
  lastSeen: number | null;
  /** When the device was registered: availability counts only the time since (null = unknown). */
  createdAt: number | null;
  /** Oldest time the arrays cover. */
  from: number;
  /** "Now" for the formulas. */
  to: number;
  metrics: MetricRow[];
  checks: CheckRow[];
  /** Status changes in [from, to], plus the last one before `from` when there is one (for the starting state). */
  states: StateRow[];
  configs: ConfigRow[];
  errors: ErrorRow[];
  /** Load-driven metrics are residuals against the site's other devices (see peerAdjust). */
  peerAdjusted?: boolean;
}

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** The values of one metric at or after `since` (ms), as (hours, value) points. */
export function metricPoints(
  rows: readonly MetricRow[],
  key: MetricKey,
  since: number,
  until = Number.POSITIVE_INFINITY,
) {
  const out: { t: number; v: number }[] = [];
  for (const r of rows) {
    const v = r[key];
    if (v === null || r.at < since || r.at > until || !Number.isFinite(v)) continue;
    out.push({ t: r.at / HOUR_MS, v });
  }
  return out;
}

export function metricValues(
  rows: readonly MetricRow[],
  key: MetricKey,
  since: number,
  until = Number.POSITIVE_INFINITY,
): number[] {
  return metricPoints(rows, key, since, until).map((p) => p.v);
}

/** Whether a status counts as "failed" for predictions (error or offline). */
export const isFailureState = (s: string): boolean => s === "error" || s === "offline";
/**
 * A registered device that has never reported: no last-seen time, no metrics or health checks, and not put in
 * error by anything (a device in error has said so, or been found so).
 */
export const isWaitingForFirstContact = (
  s: Pick<DeviceSeries, "lastSeen" | "metrics" | "checks" | "status">,
): boolean => s.lastSeen === null && s.metrics.length === 0 && s.checks.length === 0 && s.status !== "error";
/** Whether a status counts as available for uptime (online or planned maintenance). */
export const isAvailableState = (s: string): boolean => s === "online" || s === "maintenance";

/** A series with no rows, to be filled by the repository or a test. */
export function emptySeries(
  deviceId: string,
  siteId: string,
  from: number,
  to: number,
  status = "online",
): DeviceSeries {
  return {
    deviceId,
    siteId,
    status,
    lastSeen: null,
    createdAt: null,
    from,
    to,
    metrics: [],
    checks: [],
    states: [],
    configs: [],
    errors: [],
  };
}

/** A metric row with every value null except those given. */
export function metricRow(at: number, values: Partial<Omit<MetricRow, "at">>): MetricRow {
  return { at, cpu: null, memory: null, disk: null, latency: null, error_rate: null, transactions: null, ...values };
}
