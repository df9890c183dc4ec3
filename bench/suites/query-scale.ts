import { silentLogger, systemActor, systemClock } from "@homepot/core";
import { listDeviceMetrics } from "@homepot/core/analytics/list-device-metrics";
import { listErrorLogs } from "@homepot/core/analytics/list-error-logs";
import { openDatabase } from "@homepot/db";
import type { BenchOptions } from "../lib/types.ts";

/**
 * Analytics query time against table size: the dashboard's representative query (one device's metrics
 * over the last day, newest first, limit 100, through the same use case as GET /analytics/device-metrics)
 * and its next page by cursor, timed at a small and a large device_metrics table (default 100 k and 10 M
 * rows; HOMEPOT_BENCH_QUERY_SMALL / HOMEPOT_BENCH_QUERY_LARGE override, --quick uses 20 k / 1 M).
 * query_scale_ratio = median at large ÷ median at small (goal ≤ 2: index-backed, not a scan).
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const small = Number(process.env.HOMEPOT_BENCH_QUERY_SMALL ?? (options.quick ? 20_000 : 100_000));
  const large = Number(process.env.HOMEPOT_BENCH_QUERY_LARGE ?? (options.quick ? 1_000_000 : 10_000_000));
  const devicesCount = Number(process.env.HOMEPOT_BENCH_QUERY_DEVICES ?? 200);
  const iterations = options.quick ? 100 : 300;
  if (!(large > small && small >= devicesCount)) throw new Error(`need large > small >= devices (${large}, ${small}, ${devicesCount})`);

  const database = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 2 });
  const ctx = { db: database.db, actor: systemActor, clock: systemClock, logger: silentLogger };
  const pool = database.pool;
  if (!pool) throw new Error("query-scale needs PostgreSQL");
  // Newest sample of every device is "now"; sample k of a device is k × 30 s older.
  const base = new Date();
  const perDevice = (rows: number) => Math.floor(rows / devicesCount);

  async function fill(fromK: number, toK: number): Promise<void> {
    const chunk = Math.max(1, Math.floor(1_000_000 / devicesCount));
    for (let k = fromK; k < toK; k += chunk) {
      const end = Math.min(toK, k + chunk);
      await pool!.query(
        `insert into device_metrics (timestamp, device_id, cpu_percent, memory_percent, disk_percent, network_latency_ms,
           transaction_count, transaction_volume, error_rate, active_connections, queue_depth, extra_metrics)
         select $1::timestamp - make_interval(secs => k * 30), 'bench-dev-' || lpad(d::text, 4, '0'),
           10 + (k * 7 + d) % 80, 30 + (k * 3 + d) % 50, 20 + d % 40, 5 + (k + d) % 40,
           (k + d) % 300, ((k + d) % 300) * 12.5, ((k * d) % 100) / 20.0, (k + d) % 16, (k * 13 + d) % 9, '{"uptime_seconds": 1000}'::json
         from generate_series($2::int, $3::int - 1) k, generate_series(1, $4::int) d`,
        [base.toISOString(), k, end, devicesCount],
      );
      options.log(`device_metrics: ${(end * devicesCount).toLocaleString("en")} rows`);
    }
    await pool!.query("vacuum analyze device_metrics");
  }

  // Errors too (the second list most used by the dashboard), one per 100 metrics rows.
  async function fillErrors(rows: number): Promise<void> {
    await pool!.query(
      `insert into error_logs (timestamp, category, severity, error_code, error_message, device_id)
       select $1::timestamp - make_interval(secs => i * 3000 / $3::int), (array['api','database','device','frontend'])[1 + i % 4],
              (array['critical','error','warning','info'])[1 + i % 4], 'E_' || (i % 7), 'bench error ' || i, 'bench-dev-' || lpad((1 + i % $3::int)::text, 4, '0')
       from generate_series(1, $2::int) i`,
      [base.toISOString(), rows, devicesCount],
    );
    await pool!.query("vacuum analyze error_logs");
  }

  const dayAgo = new Date(base.getTime() - 86_400_000);
  const device = (i: number) => `bench-dev-${String(1 + (i % devicesCount)).padStart(4, "0")}`;

  async function measure(label: string): Promise<{ first: number; second: number; errors: number; p95: number }> {
    const first: number[] = [];
    const second: number[] = [];
    const errors: number[] = [];
    for (let i = 0; i < iterations + 10; i++) {
      const q = { device_id: device(i * 7), start_date: dayAgo, end_date: base, limit: 100, offset: 0 };
      const t0 = performance.now();
      const page = await listDeviceMetrics(ctx, q);
      const t1 = performance.now();
      if (page.items.length !== 100 || !page.next_cursor) throw new Error(`${label}: expected a full page, got ${page.items.length}`);
      const cursor = JSON.parse(Buffer.from(page.next_cursor, "base64url").toString()) as [string, number];
      const t2 = performance.now();
      await listDeviceMetrics(ctx, { ...q, cursor });
      const t3 = performance.now();
      await listErrorLogs(ctx, { severity: "critical", start_date: dayAgo, end_date: base, limit: 100, offset: 0 });
      const t4 = performance.now();
      if (i < 10) continue; // warm-up
      first.push(t1 - t0);
      second.push(t3 - t2);
      errors.push(t4 - t3);
    }
    return { first: median(first), second: median(second), errors: median(errors), p95: percentile(first, 0.95) };
  }

  try {
    await fill(0, perDevice(small));
    await fillErrors(Math.floor(small / 100));
    const atSmall = await measure("small");
    options.log(`at ${small.toLocaleString("en")} rows: ${atSmall.first.toFixed(3)} ms (next page ${atSmall.second.toFixed(3)} ms)`);
    await fill(perDevice(small), perDevice(large));
    await fillErrors(Math.floor((large - small) / 100));
    const atLarge = await measure("large");
    options.log(`at ${large.toLocaleString("en")} rows: ${atLarge.first.toFixed(3)} ms (next page ${atLarge.second.toFixed(3)} ms)`);
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return {
      query_scale_ratio: r(atLarge.first / atSmall.first),
      query_scale_cursor_ratio: r(atLarge.second / atSmall.second),
      query_scale_errors_ratio: r(atLarge.errors / atSmall.errors),
      query_small_rows: perDevice(small) * devicesCount,
      query_large_rows: perDevice(large) * devicesCount,
      query_small_median_ms: r(atSmall.first),
      query_large_median_ms: r(atLarge.first),
      query_small_p95_ms: r(atSmall.p95),
      query_large_p95_ms: r(atLarge.p95),
      query_small_next_page_ms: r(atSmall.second),
      query_large_next_page_ms: r(atLarge.second),
    };
  } finally {
    await database.close();
  }
}

function median(xs: number[]): number {
  return percentile(xs, 0.5);
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
}
