import type { DeviceMetricsResponse, DeviceMetricsSummaryResponse } from "@homepot/contracts/analytics";
import type { z } from "zod";

/** Chart rows `{t, cpu_percent, …}` from raw samples or from rollup buckets (their averages). */

export const METRIC_KEYS = [
  "cpu_percent",
  "memory_percent",
  "disk_percent",
  "network_latency_ms",
  "transaction_count",
  "error_rate",
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type ChartRow = Record<string, number | null>;

export function samplesToRows(body: z.infer<typeof DeviceMetricsResponse>): ChartRow[] {
  return body.metrics
    .map((m) => {
      const row: ChartRow = { t: Date.parse(m.timestamp) };
      for (const k of METRIC_KEYS) row[k] = m[k];
      return row;
    })
    .sort((a, b) => Number(a.t) - Number(b.t));
}

export function summariesToRows(body: z.infer<typeof DeviceMetricsSummaryResponse>): ChartRow[] {
  return body.summaries
    .map((s) => {
      const row: ChartRow = { t: Date.parse(s.bucket_start) };
      for (const k of METRIC_KEYS) row[k] = s.metrics[k]?.avg ?? null;
      return row;
    })
    .sort((a, b) => Number(a.t) - Number(b.t));
}

const METRIC_LABEL: Record<MetricKey, string> = {
  cpu_percent: "CPU",
  memory_percent: "Memory",
  disk_percent: "Disk",
  network_latency_ms: "Latency",
  transaction_count: "Transactions",
  error_rate: "Error rate",
};
const BASIS_TEXT: Record<string, string> = {
  level: "far from its usual level",
  recent_level: "its recent average moved away from its usual level",
  hour_of_day: "unusual for this hour of the day",
  hour_of_week: "unusual for this hour of the week",
  new_range: "outside every value seen before",
};

/** One live anomaly (GET /ai/anomalies/live) as a chart mark: where it is and the hover text saying why. */
export function anomalyMark(a: {
  metric: MetricKey;
  at: string;
  value: number;
  expected_low: number;
  expected_high: number;
  score: number;
  basis: string;
}): { t: number; y: number; title: string } {
  const n = (v: number) => Number(v.toFixed(v >= 100 ? 0 : 2)).toString();
  return {
    t: Date.parse(a.at),
    y: a.value,
    title: `Anomaly: ${METRIC_LABEL[a.metric]} ${n(a.value)} at ${new Date(a.at).toLocaleTimeString()} — ${
      BASIS_TEXT[a.basis] ?? a.basis
    }; expected ${n(a.expected_low)}–${n(a.expected_high)}; score ${a.score.toFixed(2)}`,
  };
}
