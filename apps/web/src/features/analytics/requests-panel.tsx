import type { ResponseOf } from "@homepot/contracts/client";
import { useMemo, useState } from "react";
import { DataTable } from "../../components/data-table.tsx";
import { Card, ErrorMessage, FilterSelect, Input, Loadable, Stat, StatusBadge } from "../../components/ui/index.tsx";
import { formatNumber } from "../../lib/format.ts";
import { tracker } from "../../lib/tracking.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { type Series, TimeChart } from "../charts/time-chart.tsx";

type ApiRequest = ResponseOf<"GET /analytics/requests">["requests"][number];

/** The ranges offered: short ones are computed from the raw request logs, long ones from the hourly rollups. */
const RANGES = {
  "15m": { ms: 15 * 60_000, label: "Last 15 minutes", rollups: false },
  "1h": { ms: 3_600_000, label: "Last hour", rollups: false },
  "24h": { ms: 86_400_000, label: "Last 24 hours (hourly rollups)", rollups: true },
  "7d": { ms: 7 * 86_400_000, label: "Last 7 days (hourly rollups)", rollups: true },
} as const;
type Range = keyof typeof RANGES;
const RANGE_OPTIONS = Object.entries(RANGES).map(([value, r]) => ({ value: value as Range, label: r.label }));

/** The charts over the buckets: latency percentiles, and the request and error counts. */
const CHARTS: { id: string; title: string; series: Series[] }[] = [
  {
    id: "requests-latency-chart",
    title: "Latency (ms)",
    series: [
      { key: "p50", label: "p50" },
      { key: "p95", label: "p95", color: "var(--chart-3)" },
    ],
  },
  {
    id: "requests-errors-chart",
    title: "Requests and errors",
    series: [
      { key: "requests", label: "Requests", color: "var(--chart-2)", kind: "bar" },
      { key: "errors", label: "Errors", color: "var(--chart-5)", kind: "bar" },
    ],
  },
];

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? null;
}

/** Buckets the newest requests per minute (or per 15 min for a day): p50/p95 latency and error count. */
function bucketize(rows: ApiRequest[], spanMs: number) {
  const size = spanMs > 6 * 3_600_000 ? 15 * 60_000 : 60_000;
  const map = new Map<number, { lat: number[]; errors: number; count: number }>();
  for (const r of rows) {
    const t = Math.floor(Date.parse(r.timestamp) / size) * size;
    const b = map.get(t) ?? { lat: [], errors: 0, count: 0 };
    b.lat.push(r.response_time_ms);
    b.count += 1;
    if (r.status_code >= 400) b.errors += 1;
    map.set(t, b);
  }
  return [...map.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, b]) => {
      const s = b.lat.sort((x, y) => x - y);
      return { t, p50: percentile(s, 0.5), p95: percentile(s, 0.95), errors: b.errors, requests: b.count };
    });
}

export function RequestsPanel() {
  const [range, setRange] = useState<Range>("1h");
  const [endpoint, setEndpoint] = useState("");
  const [errorsOnly, setErrorsOnly] = useState(false);
  const start = useMemo(
    () => new Date(Math.floor((Date.now() - RANGES[range].ms) / 60_000) * 60_000).toISOString(),
    [range],
  );
  const rollups = RANGES[range].rollups;
  const domain = useMemo(
    (): [number, number] => [Date.parse(start), Date.parse(start) + RANGES[range].ms],
    [start, range],
  );
  const requests = useEndpoint(
    "GET /analytics/requests",
    {
      query: {
        start_date: start,
        limit: rollups ? 50 : 1000,
        endpoint: endpoint || undefined,
        errors_only: errorsOnly || undefined,
      },
    },
    { pollMs: 15_000 },
  );
  const summary = useEndpoint(
    "GET /analytics/requests/summary",
    rollups ? { query: { bucket: "hour", start_date: start, order: "asc", limit: 1000 } } : null,
    { pollMs: 60_000 },
  );
  const rows = requests.data?.requests ?? [];
  const buckets = useMemo(
    () =>
      rollups
        ? (summary.data?.summaries ?? []).map((b) => ({
            t: Date.parse(b.bucket_start),
            p50: b.p50_ms,
            p95: b.p95_ms,
            errors: b.errors,
            requests: b.requests,
          }))
        : bucketize(rows, RANGES[range].ms),
    [rollups, summary.data, rows, range],
  );
  const sorted = useMemo(() => rows.map((r) => r.response_time_ms).sort((a, b) => a - b), [rows]);
  const total = rollups ? buckets.reduce((n, b) => n + (b.requests ?? 0), 0) : rows.length;
  const errors = rollups
    ? buckets.reduce((n, b) => n + (b.errors ?? 0), 0)
    : rows.filter((r) => r.status_code >= 400).length;
  const p50 = rollups ? null : percentile(sorted, 0.5);
  const p95 = rollups ? Math.max(0, ...buckets.map((b) => b.p95 ?? 0)) || null : percentile(sorted, 0.95);

  return (
    <>
      <div className="filters">
        <FilterSelect id="requests-range" label="Range" value={range} onValue={setRange} options={RANGE_OPTIONS} />
        <Input
          type="search"
          id="requests-endpoint"
          aria-label="Endpoint"
          placeholder="Endpoint, e.g. /api/v1/devices"
          value={endpoint}
          onValue={setEndpoint}
          onBlur={() => tracker.search(endpoint, "requests")}
        />
        <label className="row">
          <input
            type="checkbox"
            id="requests-errors-only"
            checked={errorsOnly}
            onChange={(e) => setErrorsOnly(e.target.checked)}
          />{" "}
          Errors only
        </label>
      </div>
      <Loadable state={requests} what="API request logs">
        {(data) => (
          <>
            <section className="stats">
              <Stat
                label={`Requests${!rollups && data.count >= 1000 ? " (newest 1000)" : ""}`}
                value={formatNumber(total)}
              />
              {!rollups && <Stat label="p50 latency" value={`${formatNumber(p50)} ms`} />}
              <Stat
                label={rollups ? "p95 latency (worst hour)" : "p95 latency"}
                value={`${formatNumber(p95)} ms`}
                tone="info"
              />
              <Stat
                label="Errors (4xx/5xx)"
                value={formatNumber(errors)}
                tone={errors ? "bad" : "ok"}
                hint={total ? `${((errors / total) * 100).toFixed(1)}%` : undefined}
              />
            </section>
            {summary.error && <ErrorMessage error={summary.error} what="Request rollups" />}
            <div className="grid-2">
              {CHARTS.map((chart) => (
                <Card key={chart.id} title={chart.title}>
                  <TimeChart id={chart.id} rows={buckets} domain={domain} series={chart.series} />
                </Card>
              ))}
            </div>
            <Card title="Newest requests">
              <DataTable
                id="requests-table"
                what="API requests"
                rows={data.requests.slice(0, 50)}
                csvRows={data.requests}
                row={(r) => ({ key: r.id })}
                empty="No request in this range."
                columns={(c) => [
                  c.time("When", (r) => r.timestamp),
                  c.text("Method", (r) => r.method),
                  c.mono("Endpoint", (r) => r.endpoint),
                  {
                    header: "Status",
                    cell: (r) => (
                      <>
                        <StatusBadge
                          status={r.status_code >= 500 ? "error" : r.status_code >= 400 ? "warning" : "success"}
                        />{" "}
                        {r.status_code}
                      </>
                    ),
                    csv: (r) => r.status_code,
                  },
                  c.number(
                    "Time (ms)",
                    (r) => r.response_time_ms,
                    (ms) => `${formatNumber(ms)} ms`,
                  ),
                  c.text("User / device", (r) => r.username ?? r.user_id ?? r.device_id),
                ]}
              />
            </Card>
          </>
        )}
      </Loadable>
    </>
  );
}
