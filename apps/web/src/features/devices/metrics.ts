/** Turns the API's metric answers (raw samples or rollup buckets) into chart rows `{t, cpu, memory, …}`. */

export const METRICS = [
  { key: "cpu_percent", label: "CPU %" },
  { key: "memory_percent", label: "Memory %" },
  { key: "disk_percent", label: "Disk %" },
  { key: "network_latency_ms", label: "Latency (ms)" },
  { key: "transaction_count", label: "Transactions" },
  { key: "error_rate", label: "Error rate" },
] as const;
export type MetricKey = (typeof METRICS)[number]["key"];

type Row = Record<string, unknown>;

const TIME_KEYS = ["bucket_start", "bucket", "period_start", "hour", "day", "timestamp", "time", "t"];

function num(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function timeOf(row: Row): number | null {
  for (const k of TIME_KEYS) {
    const v = row[k];
    if (typeof v === "string") {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) return t;
    }
    if (typeof v === "number") return v;
  }
  return null;
}

/** A bucket's value for a metric: `avg_x`, `x_avg`, `{x: {avg}}` or plain `x` (sums for counts). */
function metricOf(row: Row, key: string): number | null {
  const nested = row[key];
  if (nested && typeof nested === "object") {
    const o = nested as Row;
    return num(o.avg ?? o.mean ?? o.sum ?? o.value);
  }
  if (key === "transaction_count") {
    const sum = num(row.sum_transaction_count ?? row.transaction_count_sum ?? row.transactions);
    if (sum !== null) return sum;
  }
  return num(row[`avg_${key}`] ?? row[`${key}_avg`] ?? row[key]);
}

/** The array inside a list answer, whatever its plural is called. */
export function rowsOf(body: unknown): Row[] {
  if (Array.isArray(body)) return body as Row[];
  if (!body || typeof body !== "object") return [];
  const o = body as Row;
  for (const k of ["buckets", "rollups", "summary", "metrics", "series", "data", "rows"]) {
    const v = o[k];
    if (Array.isArray(v)) return v as Row[];
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const inner = rowsOf(v);
      if (inner.length) return inner;
    }
  }
  return [];
}

export function toChartRows(body: unknown, deviceId?: string): Record<string, number | null>[] {
  const rows = rowsOf(body).filter((r) => !deviceId || r.device_id === undefined || r.device_id === deviceId);
  const out: Record<string, number | null>[] = [];
  for (const r of rows) {
    const t = timeOf(r);
    if (t === null) continue;
    const point: Record<string, number | null> = { t };
    for (const m of METRICS) point[m.key] = metricOf(r, m.key);
    out.push(point);
  }
  return out.sort((a, b) => Number(a.t) - Number(b.t));
}
