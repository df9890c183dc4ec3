import { systemContext } from "@homepot/core";
import { refreshRollups } from "@homepot/core/analytics/refresh-rollups";
import { seedDemoData } from "@homepot/core/demo/seed-demo-data";
import { findOptimalWindows } from "@homepot/core/insights/find-optimal-windows";
import { forecastFleetHealth } from "@homepot/core/insights/forecast-fleet-health";
import { getDeviceInsights } from "@homepot/core/insights/get-device-insights";
import { getSiteInsights } from "@homepot/core/insights/get-site-insights";
import { listAtRiskDevices } from "@homepot/core/insights/list-at-risk-devices";
import { predictDeviceFailure } from "@homepot/core/insights/predict-device-failure";
import { recommendJobSchedule } from "@homepot/core/insights/recommend-job-schedule";
import { type Database, migrateDatabase, openDatabase, updateStatistics } from "@homepot/db";
import { sql } from "drizzle-orm";
import { freshDatabase } from "../lib/postgres.ts";
import type { BenchOptions } from "../lib/types.ts";

/**
 * Insight endpoints against the history they read: the demo fleet (3 sites, 12 devices) with 1 day and with 30
 * days of one-a-minute metrics (and a health check every 5 minutes), on PostgreSQL and on embedded PGlite, after
 * the maintenance pass (rollups, ANALYZE) a running server does. Each figure is the median time of one insight
 * use case (the code behind its /ai route); `*_30d_over_1d` is the ratio of 30 days to 1 day (near 1: the reads
 * are bounded or served from rollups; near 30: they scan history). --quick uses 7 days instead of 30.
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const longDays = options.quick ? 7 : 30;
  const rounds = options.quick ? 3 : 7;
  const out: Record<string, number> = {};
  const pgLong = await freshDatabase(options.pgAdminUrl, "insights_long");
  const engines: Array<{ name: string; open(): Promise<Database>; drop?(): Promise<void> }> = [
    { name: "postgres", open: () => openDatabase({ databaseUrl: options.databaseUrl, poolSize: 2 }) },
    { name: "pglite", open: () => openDatabase({ dataDir: "memory://" }) },
  ];
  try {
    for (const engine of engines) {
      const medians: Record<number, Record<string, number>> = {};
      for (const days of [1, longDays]) {
        const database =
          engine.name === "postgres" && days !== 1
            ? await openDatabase({ databaseUrl: pgLong.url, poolSize: 2 })
            : await engine.open();
        try {
          if (engine.name === "pglite") await migrateDatabase(database);
          await fill(database, days);
          options.log(`${engine.name}: ${days} day(s) of history`);
          medians[days] = await measure(database, rounds);
        } finally {
          await database.close();
        }
      }
      for (const [name, ms] of Object.entries(medians[1] ?? {})) {
        const long = medians[longDays]?.[name] ?? 0;
        out[`${engine.name}_${name}_1d_ms`] = r3(ms);
        out[`${engine.name}_${name}_${longDays}d_ms`] = r3(long);
        out[`${engine.name}_${name}_${longDays}d_over_1d`] = r3(long / Math.max(ms, 0.001));
      }
    }
  } finally {
    await pgLong.drop();
  }
  return out;
}

async function fill(database: Database, days: number): Promise<void> {
  const ctx = systemContext(database.db, "bench");
  await seedDemoData(ctx);
  const minutes = days * 1440;
  // Busy hours carry more transactions, so the window finder has a real pattern to find.
  await database.db.execute(sql`
    insert into device_metrics (timestamp, device_id, cpu_percent, memory_percent, disk_percent, network_latency_ms,
      transaction_count, transaction_volume, error_rate, active_connections, queue_depth)
    select (now() at time zone 'utc') - make_interval(mins => k), d.device_id,
      20 + (k + d.id) % 50, 40 + (k * 3 + d.id) % 40, 30 + d.id % 30, 10 + (k + d.id) % 60,
      case when extract(hour from (now() at time zone 'utc') - make_interval(mins => k)) between 9 and 20 then 5 + (k + d.id) % 10 else (k + d.id) % 2 end,
      ((k + d.id) % 10) * 12.5, ((k * d.id) % 100) / 50.0, (k + d.id) % 8, (k * 7 + d.id) % 5
    from generate_series(0, ${minutes - 1}::int) k, devices d`);
  await database.db.execute(sql`
    insert into health_checks (device_id, is_healthy, response_time_ms, status_code, endpoint, timestamp)
    select d.id, (k / 5 + d.id) % 17 <> 0, 50 + (k + d.id) % 200, case when (k / 5 + d.id) % 17 <> 0 then 200 else 500 end,
      '/health', (now() at time zone 'utc') - make_interval(mins => k)
    from generate_series(0, ${minutes - 1}::int, 5) k, devices d`);
  await refreshRollups(ctx);
  await updateStatistics(database.db);
}

async function measure(database: Database, rounds: number): Promise<Record<string, number>> {
  const ctx = systemContext(database.db, "bench");
  const cases: Record<string, () => Promise<unknown>> = {
    optimal_windows: () => findOptimalWindows(ctx, "site-001", { durationMinutes: 60 }),
    schedule_job: () => recommendJobSchedule(ctx, { siteId: "site-001", durationMinutes: 60 }),
    device_insights: () => getDeviceInsights(ctx, "pos-terminal-001"),
    site_insights: () => getSiteInsights(ctx, "site-001"),
    failure_prediction: () => predictDeviceFailure(ctx, "pos-terminal-001"),
    at_risk_devices: () => listAtRiskDevices(ctx),
    health_forecast: () => forecastFleetHealth(ctx),
  };
  const result: Record<string, number> = {};
  for (const [name, call] of Object.entries(cases)) {
    await call(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await call();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    result[name] = times[Math.floor(times.length / 2)] ?? 0;
  }
  return result;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
