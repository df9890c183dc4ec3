import { useMemo, useState } from "react";
import { Card, ErrorMessage, Spinner, Tabs } from "../../components/ui/index.tsx";
import { plural } from "../../lib/format.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { type Series, TimeChart } from "../charts/time-chart.tsx";
import { anomalyMark, type MetricKey, samplesToRows, summariesToRows } from "./metrics.ts";

type Range = "hour" | "day" | "week";
const RANGE_MS: Record<Range, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

/** The four charts: their series are metric keys, and the anomalies of those metrics are marked on them. */
const CHARTS: { title: string; averaged?: boolean; unit?: string; series: (Series & { key: MetricKey })[] }[] = [
  {
    title: "CPU, memory and disk (%)",
    unit: "%",
    series: [
      { key: "cpu_percent", label: "CPU" },
      { key: "memory_percent", label: "Memory" },
      { key: "disk_percent", label: "Disk" },
    ],
  },
  {
    title: "Network latency (ms)",
    series: [{ key: "network_latency_ms", label: "Latency", color: "var(--chart-4)" }],
  },
  {
    title: "Transactions per report",
    averaged: true,
    series: [{ key: "transaction_count", label: "Transactions", color: "var(--chart-2)", kind: "step" }],
  },
  { title: "Error rate", series: [{ key: "error_rate", label: "Error rate", color: "var(--chart-5)" }] },
];

/**
 * CPU / memory / disk / latency / transactions of one device. The last hour comes from the raw samples
 * (`/devices/{id}/metrics`); a day and a week from the hourly rollups (`/analytics/device-metrics/summary`), which
 * outlive the raw rows. Both are readable by every role. The live detector's anomalies in the range
 * (`/ai/anomalies/live`) are marked on the charts; hovering a mark says why.
 */
export function MetricsPanel({ deviceId }: { deviceId: string }) {
  const [range, setRange] = useState<Range>("hour");
  // Rounded to the minute so polling does not refetch with a new key every render.
  const start = useMemo(
    () => new Date(Math.floor((Date.now() - RANGE_MS[range]) / 60_000) * 60_000).toISOString(),
    [range],
  );
  const raw = useEndpoint(
    "GET /devices/{device_id}/metrics",
    range === "hour" ? { params: { device_id: deviceId }, query: { start_date: start, limit: 1000 } } : null,
    { pollMs: 30_000 },
  );
  const summary = useEndpoint(
    "GET /analytics/device-metrics/summary",
    range === "hour"
      ? null
      : {
          query: {
            device_id: deviceId,
            scope: "device",
            bucket: "hour",
            start_date: start,
            order: "asc",
            limit: 1000,
          },
        },
    { pollMs: 60_000 },
  );
  const live = useEndpoint(
    "GET /ai/anomalies/live",
    { query: { device_id: deviceId, hours: RANGE_MS[range] / 3_600_000, limit: 1000 } },
    { pollMs: 30_000 },
  );
  const marksFor = (...metrics: MetricKey[]) =>
    (live.data?.anomalies ?? []).filter((a) => metrics.includes(a.metric)).map(anomalyMark);
  const state = range === "hour" ? raw : summary;
  // The axis spans the whole hour, day or week chosen, also where the device sent nothing.
  const domain = useMemo(
    (): [number, number] => [Date.parse(start), Date.parse(start) + RANGE_MS[range]],
    [start, range],
  );
  const rows = useMemo(
    () =>
      range === "hour" ? (raw.data ? samplesToRows(raw.data) : []) : summary.data ? summariesToRows(summary.data) : [],
    [range, raw.data, summary.data],
  );

  return (
    <Card
      title="Metrics"
      id="device-metrics"
      actions={<Tabs idPrefix="metrics-range" value={range} onChange={setRange} tabs={["hour", "day", "week"]} />}
    >
      {state.error ? (
        <ErrorMessage error={state.error} what={range === "hour" ? "Device metrics" : "Metric rollups"} />
      ) : state.data === undefined ? (
        <Spinner />
      ) : (
        <div className="grid-2">
          {CHARTS.map((chart) => (
            <div key={chart.title}>
              <h3>
                {chart.title}
                {chart.averaged && range !== "hour" ? " (hourly average)" : ""}
              </h3>
              <TimeChart
                rows={rows}
                domain={domain}
                unit={chart.unit}
                marks={marksFor(...chart.series.map((m) => m.key))}
                series={chart.series}
              />
            </div>
          ))}
        </div>
      )}
      <p className="muted">
        {rows.length} {range === "hour" ? "samples" : "hourly buckets"} in the last {range}
        {live.data ? `; ${plural(live.data.count, "anomaly", "anomalies")} marked (live detector)` : ""}.
      </p>
    </Card>
  );
}
