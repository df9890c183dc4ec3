import { systemContext } from "@homepot/core";
import { ManualClock } from "@homepot/core/simulator/scheduler";
import { startSimulatedFleet } from "@homepot/core/simulator/start-simulated-fleet";
import { openDatabase } from "@homepot/db";
import pg from "pg";
import { round } from "../lib/load.ts";
import { startBenchServer } from "../lib/server.ts";
import type { BenchOptions } from "../lib/types.ts";

/** The tables that grow with the fleet and time (docs/scaling.md sizes them from this suite). */
const TABLES = [
  "device_metrics",
  "health_checks",
  "device_state_history",
  "api_request_logs",
  "error_logs",
  "audit_logs",
  "device_commands",
  "job_outcomes",
  "configuration_history",
];

/**
 * Rows and bytes per device per day, per table (heap + indexes + TOAST, partitions summed): the in-process fleet
 * of 200 devices on a simulated clock, 6 hours at the agent's default 30 s interval, scaled to a day; then
 * api_request_logs from real HTTP ingest (one metrics request per device and interval, as the agent sends) to
 * measure its bytes per row. Raw figures for docs/scaling.md, no goal.
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const devices = 200;
  const hours = options.quick ? 2 : 6;
  const intervalMs = 30_000;
  const database = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 8 });
  const before = await sizes(options.databaseUrl);
  try {
    const ctx = systemContext(database.db, "bench");
    const clock = new ManualClock(Date.now() - hours * 3600_000);
    const sim = await startSimulatedFleet(ctx, { devices, intervalMs, clock, concurrency: 6 });
    await sim.fleet.advance(hours * 3600_000, 5000);
    await sim.stop();
    options.log(`${sim.fleet.stats().reportsSent} reports from ${devices} devices over ${hours} simulated hours`);
  } finally {
    await database.close();
  }
  const fleet = await sizes(options.databaseUrl);
  const requestRows = await requestLogRows(options);
  const requests = (await sizes(options.databaseUrl)).api_request_logs;
  const after: Record<string, { rows: number; bytes: number }> = { ...fleet };
  if (requests) after.api_request_logs = requests;
  const out: Record<string, number> = { sizing_devices: devices, sizing_hours: hours, sizing_interval_s: 30 };
  const perDay = 24 / hours;
  for (const table of TABLES) {
    const rows = (after[table]?.rows ?? 0) - (before[table]?.rows ?? 0);
    const bytes = (after[table]?.bytes ?? 0) - (before[table]?.bytes ?? 0);
    if (rows <= 0) continue;
    // A table too small to have grown past its first pages shows 0 bytes here: no per-row figure then.
    if (bytes > 0) out[`${table}_bytes_per_row`] = Math.round(bytes / rows);
    if (table === "api_request_logs") continue;
    out[`${table}_rows_per_device_day`] = round((rows / devices) * perDay, 1);
    if (bytes > 0) out[`${table}_kb_per_device_day`] = round(((bytes / devices) * perDay) / 1024, 1);
  }
  // An agent sends one metrics request per interval (health and command polls add more on top).
  const perDeviceDay = 86_400 / (intervalMs / 1000);
  const reqBytes = out.api_request_logs_bytes_per_row ?? 0;
  out.api_request_logs_rows_per_device_day_per_request_kind = perDeviceDay;
  out.api_request_logs_kb_per_device_day_per_request_kind = round((perDeviceDay * reqBytes) / 1024, 1);
  out.api_request_logs_rows_measured = requestRows;
  return out;
}

/** Real requests through the app, so api_request_logs holds what production writes per device request. */
async function requestLogRows(options: BenchOptions): Promise<number> {
  const server = await startBenchServer(options.databaseUrl);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    // The fleet's devices have key hashes we cannot present: give 20 of them a known key for this.
    const { rows } = await client.query<{ device_id: string }>(
      "select device_id from devices where is_simulated order by device_id limit 20",
    );
    const { generateDeviceKey } = await import("@homepot/core/devices/device-key");
    let sent = 0;
    for (const { device_id } of rows) {
      const key = generateDeviceKey();
      await client.query("update devices set api_key_hash = $1 where device_id = $2", [key.hash, device_id]);
      for (let i = 0; i < 50; i++) {
        const res = await fetch(`${server.url}/api/v1/analytics/device-metrics`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-device-id": device_id, "x-api-key": key.key },
          body: JSON.stringify({ cpu_percent: 20 + i, memory_percent: 40, disk_percent: 60, network_latency_ms: 12 }),
        });
        if (res.status !== 201) throw new Error(`ingest answered ${res.status}`);
        sent += 1;
      }
    }
    return sent;
  } finally {
    await client.end();
    await server.stop(); // flushes the request log
  }
}

async function sizes(databaseUrl: string): Promise<Record<string, { rows: number; bytes: number }>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const out: Record<string, { rows: number; bytes: number }> = {};
    for (const table of TABLES) {
      const { rows } = await client.query<{ rows: string; bytes: string }>(
        `select (select count(*) from ${table}) as rows,
           (select coalesce(sum(pg_total_relation_size(relid)), 0) from pg_partition_tree('${table}')) as bytes`,
      );
      out[table] = { rows: Number(rows[0]?.rows ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
    }
    return out;
  } finally {
    await client.end();
  }
}
