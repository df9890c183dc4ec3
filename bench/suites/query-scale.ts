import { systemContext } from "@homepot/core";
import { listDeviceMetrics } from "@homepot/core/analytics/list-device-metrics";
import { listErrorLogs } from "@homepot/core/analytics/list-error-logs";
import { type Database, openDatabase } from "@homepot/db";
import { benchDevice, createDayPartitions, fillDeviceMetrics } from "../lib/metrics-fill.ts";
import { freshDatabase } from "../lib/postgres.ts";
import type { BenchOptions } from "../lib/types.ts";

/**
 * Analytics query time against table size: the dashboard's representative query (one device's metrics
 * over the last day, newest first, limit 100, through the same use case as GET /analytics/device-metrics),
 * its next page by cursor, and a filtered error_logs page, timed with a small and a large device_metrics
 * table (default 100 k and 10 M rows; HOMEPOT_BENCH_QUERY_SMALL / HOMEPOT_BENCH_QUERY_LARGE override,
 * --quick uses 20 k / 1 M). query_scale_ratio = median at large ÷ median at small (goal ≤ 2: index-backed,
 * not a scan). The two sizes live in two databases measured in alternating rounds, so machine noise falls
 * on both alike; query_uses_index is 1 when PostgreSQL's plan for the large table has no sequential scan. Both
 * databases hold their rows in day partitions, as the maintenance task keeps them.
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const small = Number(process.env.HOMEPOT_BENCH_QUERY_SMALL ?? (options.quick ? 20_000 : 100_000));
  const large = Number(process.env.HOMEPOT_BENCH_QUERY_LARGE ?? (options.quick ? 1_000_000 : 10_000_000));
  const devicesCount = Number(process.env.HOMEPOT_BENCH_QUERY_DEVICES ?? 200);
  const rounds = options.quick ? 4 : 8;
  const perRound = options.quick ? 25 : 50;
  if (!(large > small && small >= devicesCount))
    throw new Error(`need large > small >= devices (${large}, ${small}, ${devicesCount})`);

  // Newest sample of every device is "now"; sample k of a device is k × 30 s older.
  const base = new Date();
  const dayAgo = new Date(base.getTime() - 86_400_000);
  const perDevice = (rows: number) => Math.floor(rows / devicesCount);
  const device = (i: number) => benchDevice(i, devicesCount);

  async function fill(database: Database, rows: number, label: string): Promise<void> {
    const pool = database.pool;
    if (!pool) throw new Error("query-scale needs PostgreSQL");
    const spacingS = 30;
    // Day partitions over the data's period, as a running server's maintenance task keeps them.
    const oldest = new Date(base.getTime() - perDevice(rows) * spacingS * 1000);
    for (const table of ["device_metrics", "error_logs"] as const)
      await createDayPartitions(database, table, oldest, base);
    await fillDeviceMetrics(database, {
      rows,
      devices: devicesCount,
      newest: base,
      spacingS,
      log: (m) => options.log(`${label}: ${m}`),
    });
    // One error per 100 metric rows, spread over the same period.
    await pool.query(
      `insert into error_logs (timestamp, category, severity, error_code, error_message, device_id)
       select $1::timestamp - make_interval(secs => i * 3000.0 / $3::int), (array['api','database','device','frontend'])[1 + i % 4],
              (array['critical','error','warning','info'])[1 + i % 4], 'E_' || (i % 7), 'bench error ' || i, 'bench-dev-' || lpad((1 + i % $3::int)::text, 4, '0')
       from generate_series(1, $2::int) i`,
      [base.toISOString(), Math.floor(rows / 100), devicesCount],
    );
    await pool.query("vacuum analyze device_metrics");
    await pool.query("vacuum analyze error_logs");
  }

  interface Samples {
    first: number[];
    next: number[];
    errors: number[];
  }
  async function measure(database: Database, into: Samples, count: number, offset: number): Promise<void> {
    const ctx = systemContext(database.db, "bench");
    for (let i = 0; i < count; i++) {
      const q = { device_id: device((offset + i) * 7), start_date: dayAgo, end_date: base, limit: 100, offset: 0 };
      const t0 = performance.now();
      const page = await listDeviceMetrics(ctx, q);
      const t1 = performance.now();
      if (page.items.length !== 100 || !page.next_cursor)
        throw new Error(`expected a full page, got ${page.items.length}`);
      const cursor = JSON.parse(Buffer.from(page.next_cursor, "base64url").toString()) as [string, number];
      const t2 = performance.now();
      await listDeviceMetrics(ctx, { ...q, cursor });
      const t3 = performance.now();
      await listErrorLogs(ctx, { severity: "critical", start_date: dayAgo, end_date: base, limit: 100, offset: 0 });
      const t4 = performance.now();
      into.first.push(t1 - t0);
      into.next.push(t3 - t2);
      into.errors.push(t4 - t3);
    }
  }

  const smallDb = await freshDatabase(options.pgAdminUrl, "query_small");
  const smallDatabase = await openDatabase({ databaseUrl: smallDb.url, poolSize: 1 });
  const largeDatabase = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 1 });
  try {
    await fill(smallDatabase, small, "small");
    await fill(largeDatabase, large, "large");
    const plan = await largeDatabase.pool!.query(
      `explain (format json) select * from device_metrics where device_id = $1 and timestamp >= $2 and timestamp <= $3 order by timestamp desc, id desc limit 100`,
      [device(0), dayAgo.toISOString().replace("Z", ""), base.toISOString().replace("Z", "")],
    );
    const usesIndex = !JSON.stringify(plan.rows).includes("Seq Scan");

    const atSmall: Samples = { first: [], next: [], errors: [] };
    const atLarge: Samples = { first: [], next: [], errors: [] };
    await measure(smallDatabase, { first: [], next: [], errors: [] }, 10, 0); // warm-up
    await measure(largeDatabase, { first: [], next: [], errors: [] }, 10, 0);
    for (let r = 0; r < rounds; r++) {
      await measure(smallDatabase, atSmall, perRound, r * perRound);
      await measure(largeDatabase, atLarge, perRound, r * perRound);
    }
    const m = (xs: number[]) => percentile(xs, 0.5);
    options.log(
      `at ${small.toLocaleString("en")} rows: ${m(atSmall.first).toFixed(3)} ms; at ${large.toLocaleString("en")} rows: ${m(atLarge.first).toFixed(3)} ms`,
    );
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      query_scale_ratio: r3(m(atLarge.first) / m(atSmall.first)),
      query_scale_next_page_ratio: r3(m(atLarge.next) / m(atSmall.next)),
      query_scale_errors_ratio: r3(m(atLarge.errors) / m(atSmall.errors)),
      query_uses_index: usesIndex ? 1 : 0,
      query_small_rows: perDevice(small) * devicesCount,
      query_large_rows: perDevice(large) * devicesCount,
      query_small_median_ms: r3(m(atSmall.first)),
      query_large_median_ms: r3(m(atLarge.first)),
      query_small_p95_ms: r3(percentile(atSmall.first, 0.95)),
      query_large_p95_ms: r3(percentile(atLarge.first, 0.95)),
      query_small_next_page_ms: r3(m(atSmall.next)),
      query_large_next_page_ms: r3(m(atLarge.next)),
      query_small_errors_ms: r3(m(atSmall.errors)),
      query_large_errors_ms: r3(m(atLarge.errors)),
    };
  } finally {
    await smallDatabase.close();
    await largeDatabase.close();
    await smallDb.drop();
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
}
