import {
  deviceMetrics,
  deviceStateHistory,
  devices,
  errorLogs,
  healthChecks,
  jobOutcomes,
  jobs,
  sites,
} from "@homepot/db";
import { eq, sql } from "drizzle-orm";
import { refreshRollups } from "../../analytics/refresh-rollups.ts";
import type { Context } from "../../context.ts";
import { demoDeviceId, seedDemoData } from "../../demo/seed-demo-data.ts";

/**
 * The seeded fleet the evaluation set and the tests ask about: the demo fleet (3 sites, 12 tills) with three
 * days of metrics and health checks, errors and jobs built so that the facts below hold. NOW is a Wednesday.
 */
export const ASK_NOW = new Date("2026-01-07T12:00:00.000Z");

export const FLEET_FACTS = {
  /** Highest mean CPU / memory / latency over the whole history. */
  topCpu: "pos-terminal-007",
  topMemory: "pos-terminal-004",
  topLatency: "pos-terminal-010",
  /** Most payment errors this week: site-002 (its tills 006, 007, 008); most network errors: site-003. */
  topPaymentSite: "site-002",
  topPaymentDevice: "pos-terminal-006",
  topNetworkSite: "site-003",
  /** In error for the last ten hours, failing health checks, a high error rate. */
  unhealthy: "pos-terminal-012",
  /** Silent for two hours (offline). */
  offline: "pos-terminal-009",
  errorsThisWeek: 0,
  jobsThisWeek: 6,
  jobsFailedThisWeek: 1,
};

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAYS = 3;

/** Per-till base levels: number → [cpu, memory, latency]. */
function levels(n: number): [number, number, number] {
  const cpu = n === 7 ? 82 : 20 + n * 2;
  const memory = n === 4 ? 88 : 40 + n;
  const latency = n === 10 ? 240 : 30 + n * 3;
  return [cpu, memory, latency];
}

interface ErrorSpec {
  device: number;
  category: string;
  code: string;
  message: string;
  count: number;
  /** Hours before NOW of the first one; one an hour after it. */
  from: number;
}

const ERRORS: ErrorSpec[] = [
  {
    device: 6,
    category: "external_service",
    code: "PAYMENT_TIMEOUT",
    message: "Payment gateway timeout",
    count: 9,
    from: 50,
  },
  {
    device: 7,
    category: "external_service",
    code: "PAYMENT_TIMEOUT",
    message: "Payment gateway timeout",
    count: 6,
    from: 40,
  },
  {
    device: 8,
    category: "external_service",
    code: "PAYMENT_DECLINED",
    message: "Payment card declined by gateway",
    count: 3,
    from: 30,
  },
  {
    device: 2,
    category: "external_service",
    code: "PAYMENT_TIMEOUT",
    message: "Payment gateway timeout",
    count: 4,
    from: 20,
  },
  {
    device: 11,
    category: "external_service",
    code: "PAYMENT_TIMEOUT",
    message: "Payment gateway timeout",
    count: 2,
    from: 10,
  },
  { device: 10, category: "device", code: "NETWORK_LOSS", message: "Network connection lost", count: 8, from: 45 },
  { device: 12, category: "device", code: "NETWORK_LOSS", message: "Network connection lost", count: 5, from: 6 },
  { device: 3, category: "database", code: "DB_CONN_001", message: "Database connection failed", count: 3, from: 25 },
  { device: 5, category: "device", code: "DISK_LOW", message: "Low disk space warning", count: 2, from: 15 },
  // Last week (before Monday): for "this week against last week".
  {
    device: 1,
    category: "external_service",
    code: "PAYMENT_TIMEOUT",
    message: "Payment gateway timeout",
    count: 10,
    from: 140,
  },
  { device: 9, category: "device", code: "NETWORK_LOSS", message: "Network connection lost", count: 6, from: 120 },
];

/** Seeds the fleet on an empty database (its clock should say ASK_NOW) and brings the rollups up to date. */
export async function seedAskFleet(ctx: Context): Promise<void> {
  const now = ctx.clock.now().getTime();
  await seedDemoData(ctx, { devices: 12 });
  const db = ctx.db;
  const ids = new Map(
    (await db.select({ id: devices.id, deviceId: devices.deviceId }).from(devices)).map((d) => [d.deviceId, d.id]),
  );
  const start = new Date(now - DAYS * 24 * HOUR).toISOString();
  for (let n = 1; n <= 12; n++) {
    const deviceId = demoDeviceId(n);
    const [cpu, memory, latency] = levels(n);
    const silentFor = n === 9 ? 2 * HOUR : MIN;
    const end = new Date(now - silentFor).toISOString();
    // A sample every 10 minutes, a gentle daily wave, deterministic.
    await db.execute(sql`
      insert into ${deviceMetrics} (device_id, timestamp, cpu_percent, memory_percent, disk_percent, network_latency_ms,
        transaction_count, transaction_volume, error_rate, active_connections, queue_depth, extra_metrics)
      select ${deviceId}, t, ${cpu} + 5 * sin(i / 20.0), ${memory} + 2 * sin(i / 30.0), 40 + ${n}, ${latency} + 10 * sin(i / 10.0),
        ${n <= 5 ? 12 : 6} + (i % 5), 25.5 * (${n <= 5 ? 12 : 6} + (i % 5)), ${n === 12 ? 6 : 0.2}, 3, 1, '{}'::json
      from (select ${end}::timestamp - g * interval '10 minutes' as t, ${DAYS * 144} - g as i
            from generate_series(0, ${DAYS * 144}) g) s
      where t >= ${start}::timestamp`);
    const unhealthyFrom = n === 12 ? new Date(now - 10 * HOUR).toISOString() : new Date(now + HOUR).toISOString();
    await db.execute(sql`
      insert into ${healthChecks} (device_id, is_healthy, response_time_ms, status_code, endpoint, response_data, error_message, timestamp)
      select ${ids.get(deviceId) ?? 0}, t < ${unhealthyFrom}::timestamp, 120, case when t < ${unhealthyFrom}::timestamp then 200 else 500 end,
        '/health', '{}'::json, case when t < ${unhealthyFrom}::timestamp then null else 'Payment gateway timeout' end, t
      from (select ${end}::timestamp - g * interval '30 minutes' as t from generate_series(0, ${DAYS * 48}) g) s
      where t >= ${start}::timestamp`);
    const status = n === 12 ? "error" : n === 9 ? "offline" : "online";
    await db
      .update(devices)
      .set({ status, lastSeen: new Date(now - silentFor) })
      .where(eq(devices.deviceId, deviceId));
    if (status !== "online")
      await db.insert(deviceStateHistory).values({
        timestamp: new Date(now - (n === 12 ? 10 : 2) * HOUR),
        deviceId,
        previousState: "online",
        newState: status,
        changedBy: "system",
        reason: status === "error" ? "health check failed" : "no report",
      });
  }
  for (const e of ERRORS)
    await db.insert(errorLogs).values(
      Array.from({ length: e.count }, (_, i) => ({
        timestamp: new Date(now - (e.from - i) * HOUR),
        category: e.category,
        severity: "error",
        errorCode: e.code,
        errorMessage: `${e.message} on ${demoDeviceId(e.device)}`,
        deviceId: demoDeviceId(e.device),
      })),
    );
  await seedJobs(ctx, now);
  await refreshRollups(ctx);
}

async function seedJobs(ctx: Context, now: number): Promise<void> {
  const siteRows = await ctx.db.select({ id: sites.id, siteId: sites.siteId }).from(sites);
  const siteKey = new Map(siteRows.map((s) => [s.siteId, s.id]));
  // This week (since Monday 00:00): 4 completed, 1 failed, 1 partial; last week: 3 completed.
  const plan: [string, string, number][] = [
    ["site-001", "completed", 30],
    ["site-001", "completed", 20],
    ["site-002", "failed", 26],
    ["site-003", "completed", 12],
    ["site-003", "partial", 8],
    ["site-002", "completed", 3],
    ["site-001", "completed", 100],
    ["site-002", "completed", 110],
    ["site-003", "completed", 120],
  ];
  for (const [i, [siteId, status, hoursAgo]] of plan.entries()) {
    const at = new Date(now - hoursAgo * HOUR);
    const jobId = `job-${(0xa0000000 + i).toString(16)}`;
    await ctx.db.insert(jobs).values({
      jobId,
      action: "update_config",
      status,
      siteId: siteKey.get(siteId),
      createdAt: at,
      updatedAt: at,
      completedAt: new Date(at.getTime() + 10 * MIN),
    });
    await ctx.db.insert(jobOutcomes).values({
      timestamp: new Date(at.getTime() + 10 * MIN),
      jobId,
      jobType: "config_update",
      status,
      durationMs: 600_000,
      initiatedBy: "system",
    });
  }
}
