/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createUser, systemContext } from "@homepot/core";
import { openDatabase } from "@homepot/db";
import pg from "pg";
import { chromium, type Page } from "playwright-core";
import { median, round } from "../lib/load.ts";
import { startBenchServer } from "../lib/server.ts";
import type { BenchOptions } from "../lib/types.ts";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ADMIN = { email: "dashboard-admin@example.com", password: "dashboard-admin-password" };
const LOADS = 5;
const TIMEOUT_MS = 60_000;

/**
 * First render of the dashboard on a big fleet, in Chromium (issue 19, item 3): HOMEPOT_BENCH_DASHBOARD_DEVICES
 * devices (default 100 000, on 1 000 sites) seeded in SQL with their last minutes of health reports and metrics
 * (10 minutes at 60 s; 60 with the full run), then the built dashboard served by the real app. Each page is loaded
 * LOADS times after a warm-up, signed in; a load's time runs from navigation start to the moment the page shows
 * its data — the Overview's device count from the summary, the device list's first row — read in the page
 * (`performance.now()`, checked every animation frame). Figures: medians in ms, reported, not asserted.
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const devices = Number(process.env.HOMEPOT_BENCH_DASHBOARD_DEVICES ?? 100_000);
  const minutes = options.quick ? 10 : 60;
  const t0 = Date.now();
  await seedFleet(options.databaseUrl, devices, minutes);
  const seedS = round((Date.now() - t0) / 1000, 1);
  options.log(`seeded ${devices} devices with ${minutes} min of reports in ${seedS} s`);
  const database = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 1 });
  try {
    await createUser(systemContext(database.db, "bench"), { ...ADMIN, role: "admin", username: "dashboard_admin" });
  } finally {
    await database.close();
  }
  execFileSync("npm", ["run", "build", "-w", "@homepot/web"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  const server = await startBenchServer(options.databaseUrl, { dashboard: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.fill("input[name=email]", ADMIN.email);
    await page.fill("input[name=password]", ADMIN.password);
    await page.click("#login-submit");
    await page.getByRole("heading", { level: 1, name: "Fleet overview" }).waitFor({ timeout: 120_000 });
    const overview = await firstRender(page, `${server.url}/`, overviewShown, devices, options.log);
    options.log(`overview: ${overview.map((v) => round(v, 0)).join(", ")} ms`);
    const list = await firstRender(page, `${server.url}/devices`, deviceRowShown, devices, options.log);
    options.log(`device list: ${list.map((v) => round(v, 0)).join(", ")} ms`);
    return {
      dashboard_devices: devices,
      dashboard_report_minutes: minutes,
      dashboard_seed_s: seedS,
      dashboard_overview_first_render_ms: round(median(overview), 0),
      dashboard_overview_first_render_max_ms: round(Math.max(...overview), 0),
      dashboard_device_list_first_render_ms: round(median(list), 0),
      dashboard_device_list_first_render_max_ms: round(Math.max(...list), 0),
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** In the page: when the Overview's "Devices" figure shows the whole fleet (from GET /dashboard/summary). */
function overviewShown(total: number): number | false {
  for (const stat of document.querySelectorAll('section[aria-label="Devices by status"] .stat')) {
    if (stat.querySelector(".stat-label")?.textContent !== "Devices") continue;
    const shown = Number(stat.querySelector(".stat-value")?.textContent?.replace(/\D/g, ""));
    return shown === total && performance.now();
  }
  return false;
}

/** In the page: each request made so far, as "path start–end ms" (where a slow first render spends its time). */
function requestTimes(): string {
  const entries = [
    ...performance.getEntriesByType("navigation"),
    ...performance.getEntriesByType("resource"),
  ] as PerformanceResourceTiming[];
  // No named helper here: the function runs in the page, where the bundler's name wrapper does not exist.
  return entries
    .map(
      (e) =>
        `${new URL(e.name).pathname.replace("/api/v1", "")} ${Math.round(e.startTime)}–${Math.round(e.responseEnd)}`,
    )
    .join(", ");
}

/** In the page: when the device list's table has its first row. */
function deviceRowShown(): number | false {
  return document.querySelector("#devices-table tbody tr") !== null && performance.now();
}

/**
 * Milliseconds from navigation start until `shown` holds in the page, for LOADS loads after one warm-up; a page
 * that shows nothing within TIMEOUT_MS counts as TIMEOUT_MS and ends the series (the figure is then a floor).
 */
async function firstRender(
  page: Page,
  url: string,
  shown: (total: number) => number | false,
  total: number,
  log: (line: string) => void,
) {
  const times: number[] = [];
  for (let i = 0; i <= LOADS; i++) {
    await page.goto(url, { waitUntil: "commit" });
    try {
      const at = await page.waitForFunction(shown, total, { polling: "raf", timeout: TIMEOUT_MS });
      if (i > 0) times.push(Number(await at.jsonValue()));
      if (i === LOADS) log(`${new URL(url).pathname} requests of the last load: ${await page.evaluate(requestTimes)}`);
    } catch (error) {
      if (!(error instanceof Error && error.name === "TimeoutError")) throw error;
      times.push(TIMEOUT_MS);
      break;
    }
  }
  return times;
}

/**
 * `devices` devices on `devices / 100` sites in one statement each (generate_series), a mix of statuses and
 * health states, and for each device one health report and one metrics sample a minute over the last `minutes`.
 */
async function seedFleet(databaseUrl: string, devices: number, minutes: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const sites = Math.max(1, Math.ceil(devices / 100));
    await client.query(
      `insert into sites (site_id, name, location)
       select 'site-' || lpad(s::text, 4, '0'), 'Store ' || s, 'City ' || (s % 50)
       from generate_series(1, $1) s`,
      [sites],
    );
    await client.query(
      `insert into devices (device_id, name, device_type, status, site_id, last_seen, health_state, software_version)
       select 'pos-' || lpad(d::text, 6, '0'), 'Till ' || d, (array['pos_terminal', 'kiosk', 'printer'])[d % 3 + 1],
              (case when d % 50 = 0 then 'offline' when d % 97 = 0 then 'error' else 'online' end),
              'site-' || lpad(((d - 1) % $2 + 1)::text, 4, '0'),
              now() at time zone 'utc' - (d % 60) * interval '1 second',
              (case when d % 97 = 0 then 'error' when d % 31 = 0 then 'warning' else 'healthy' end), '2.4.' || (d % 4)
       from generate_series(1, $1) d`,
      [devices, sites],
    );
    // The maintenance task has not run: create today's partitions so the reports do not land in the defaults.
    await client.query(
      `select homepot_ensure_day_partition(t, (now() at time zone 'utc')::date)
       from unnest(array['device_metrics', 'health_checks']) t`,
    );
    const window = `now() at time zone 'utc' - (m * interval '1 minute') - (d.id % 60) * interval '1 second'`;
    await client.query(
      `insert into health_checks (device_id, is_healthy, response_time_ms, status_code, endpoint, timestamp)
       select d.id, d.health_state <> 'error', 20 + d.id % 80, case when d.health_state = 'error' then 500 else 200 end,
              '/health', ${window}
       from devices d cross join generate_series(0, $1 - 1) m`,
      [minutes],
    );
    await client.query(
      `insert into device_metrics (device_id, cpu_percent, memory_percent, disk_percent, transaction_count, timestamp)
       select d.device_id, 10 + d.id % 70, 30 + d.id % 50, 40 + d.id % 40, (60 - m) * (d.id % 5), ${window}
       from devices d cross join generate_series(0, $1 - 1) m`,
      [minutes],
    );
    await client.query("analyze");
  } finally {
    await client.end();
  }
}
