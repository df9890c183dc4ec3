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
