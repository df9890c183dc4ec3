import { createUser, systemContext } from "@homepot/core";
import { openDatabase } from "@homepot/db";
import pg from "pg";
import { median, round } from "../lib/load.ts";
import { startBenchServer } from "../lib/server.ts";
import type { BenchOptions } from "../lib/types.ts";
import { measureSimulator } from "./simulator.ts";

/**
 * A 100 000-device fleet on one machine: the in-process simulator (the code behind the server's demo fleet and
 * `homepot simulate --in-process`) runs 100 000 devices reporting every 60 s (≈1 667 reports/s) for a bounded time.
 * Figures: fleet_lag_p99_ms (goal < 1000), the process's memory per 1 000 devices, and, on that fleet, the median
 * time of the dashboard's overview summary and device-list pages through the real app, with the query plans of
 * the device list (an index, not a sort of the whole table). HOMEPOT_BENCH_FLEET_DEVICES / _DURATION_S override.
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const devices = Number(process.env.HOMEPOT_BENCH_FLEET_DEVICES ?? 100_000);
  const durationS = Number(process.env.HOMEPOT_BENCH_FLEET_DURATION_S ?? (options.quick ? 90 : 300));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const live = await measureSimulator({
    databaseUrl: options.databaseUrl,
    devices,
    durationMs: durationS * 1000,
    intervalMs: 60_000,
    log: options.log,
  });
  const mbPer1000 = ((live.rssMb - rssBefore / 2 ** 20) / devices) * 1000;
  const pages = await measureDashboard(options, devices);
  return {
    fleet_devices: devices,
    fleet_interval_s: 60,
    fleet_duration_s: durationS,
    fleet_lag_p99_ms: live.lagP99Ms,
    fleet_lag_p50_ms: live.lagP50Ms,
    fleet_lag_max_ms: live.lagMaxMs,
    fleet_reports: live.reports,
    fleet_reports_failed: live.failed,
    fleet_reports_per_s: live.reportsPerS,
    fleet_expected_reports_per_s: Math.round((devices / 60) * 10) / 10,
    fleet_cpu_ms_per_report: live.cpuMsPerReport,
    fleet_rss_mb: live.rssMb,
    fleet_mb_per_1000_devices: round(mbPer1000, 2),
    ...pages,
  };
}

const PAGES = {
  summary: "/api/v1/dashboard/summary",
  device_list: "/api/v1/devices?limit=50",
  device_list_page_100: "/api/v1/devices?limit=50&offset=5000",
  device_list_site: "/api/v1/devices?limit=50&site_id=site-001",
  device_list_offline: "/api/v1/devices?limit=50&status=offline",
};

/** The overview's and the device list's API calls on the big fleet (median of 5, after one warm-up). */
async function measureDashboard(options: BenchOptions, devices: number): Promise<Record<string, number>> {
  const email = "fleet-admin@example.com";
  const password = "fleet-admin-password";
  const database = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 2 });
  try {
    await createUser(systemContext(database.db, "bench"), { email, password, role: "admin", username: "fleet_admin" });
  } finally {
    await database.close();
  }
  const server = await startBenchServer(options.databaseUrl);
  const out: Record<string, number> = {};
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
    for (const [name, path] of Object.entries(PAGES)) {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { total?: number };
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        if (name === "device_list" && body.total !== undefined && body.total < devices)
          throw new Error(`device list total ${body.total} < ${devices} devices`);
        if (i > 0) times.push(performance.now() - t0);
      }
      out[`fleet_${name}_ms`] = round(median(times), 1);
      options.log(`${path}: ${out[`fleet_${name}_ms`]} ms median`);
    }
  } finally {
    await server.stop();
  }
  return { ...out, ...(await devicePlans(options.databaseUrl)) };
}

/** 1 when the device list's page and count read through an index rather than sorting or scanning the table. */
async function devicePlans(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("analyze devices");
    const plan = async (query: string) =>
      JSON.stringify((await client.query(`explain (format json) ${query}`)).rows[0]["QUERY PLAN"]);
    const page = await plan(
      "select * from devices d left join sites s on s.site_id = d.site_id where d.is_active order by d.device_id limit 50 offset 5000",
    );
    const site = await plan(
      "select * from devices d where d.is_active and d.site_id = 'site-001' order by d.device_id limit 50",
    );
    const usesIndex = (p: string) => (p.includes("Index") && !p.includes('"Sort"') ? 1 : 0);
    return { fleet_device_page_uses_index: usesIndex(page), fleet_device_site_page_uses_index: usesIndex(site) };
  } finally {
    await client.end();
  }
}
