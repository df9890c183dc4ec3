import { createUser, systemContext } from "@homepot/core";
import { apiRequestLogs, openDatabase } from "@homepot/db";
import { load, median, round } from "../lib/load.ts";
import { type BenchServer, startBenchServer } from "../lib/server.ts";
import type { BenchOptions } from "../lib/types.ts";

/**
 * Cost of request logging: req/s of an authenticated API route (GET /api/v1/auth/me, JWT + user lookup)
 * with api_request_logs on ÷ off (goal ≥ 0.95), two servers side by side with the load alternating between them,
 * medians of the rounds; the same as a ratio of server CPU time per request; and the servers' peak RSS under load.
 */
type Mode = "on" | "off";
const MODES: Mode[] = ["off", "on"];
const round3 = (n: number) => round(n, 3);

async function target(server: BenchServer, email: string, password: string) {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`bench login failed: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { data: { access_token: string } }).data.access_token;
  return { url: `${server.url}/api/v1/auth/me`, headers: { authorization: `Bearer ${token}` }, connections: 16 };
}
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const database = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 2 });
  const email = "bench-admin@example.com";
  const password = "bench-admin-password";
  try {
    await createUser(systemContext(database.db, "bench"), { email, password, role: "admin", username: "bench_admin" });
  } finally {
    await database.close();
  }

  const durationS = options.quick ? 3 : 10;
  const pairs = options.quick ? 3 : 5;
  const rps: Record<Mode, number[]> = { on: [], off: [] };
  const p99: Record<Mode, number[]> = { on: [], off: [] };
  const cpuPerRequest: Record<Mode, number[]> = { on: [], off: [] };
  let peakRss = 0;
  let requestsOn = 0;
  let failures = 0;
  let shed = 0;

  // Both servers run side by side and the load alternates between them (off, on, off, on…): other load on the
  // machine falls on both alike, and the medians leave out the odd disturbed round.
  const servers = {
    off: await startBenchServer(options.databaseUrl, { requestLogging: false }),
    on: await startBenchServer(options.databaseUrl, { requestLogging: true }),
  };
  try {
    const targets = {
      off: await target(servers.off, email, password),
      on: await target(servers.on, email, password),
    };
    for (const mode of MODES) await load({ ...targets[mode], durationS: 1 }); // warm-up (JIT, user cache, pool)
    for (let round = 0; round < pairs * 2; round++) {
      const mode: Mode = round % 2 === 0 ? "off" : "on";
      const server = servers[mode];
      const cpuBefore = server.cpuMs();
      const result = await load({
        ...targets[mode],
        durationS,
        onTick: () => (peakRss = Math.max(peakRss, server.rssMb())),
      });
      cpuPerRequest[mode].push((server.cpuMs() - cpuBefore) / Math.max(1, result.requests));
      failures += result.non2xx + result.errors;
      rps[mode].push(result.rps);
      p99[mode].push(result.latencyP99Ms);
      if (mode === "on") requestsOn += result.requests;
      options.log(
        `logging ${mode}: ${Math.round(result.rps)} req/s, p99 ${result.latencyP99Ms} ms, ${round3(cpuPerRequest[mode].at(-1) ?? 0)} ms CPU/request, rss ${server.rssMb()} MB`,
      );
    }
    shed = await shedRows(servers.on.url);
  } finally {
    await servers.off.stop();
    await servers.on.stop();
  }

  // Logging must really have happened: the rows are in the table (plus warm-up and login rows).
  const check = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 1 });
  const logged = await check.db.$count(apiRequestLogs);
  await check.close();
  // Only rows the bounded buffer shed (counted on /metrics) may be missing.
  if (logged + shed < requestsOn)
    throw new Error(`request logging lost rows: ${logged} logged + ${shed} shed < ${requestsOn} requests`);

  // Medians of the rounds (one disturbed round does not move them).
  return {
    logging_ratio: round(median(rps.on) / median(rps.off)),
    logging_rounds_per_mode: pairs,
    logging_on_rps: Math.round(median(rps.on)),
    logging_off_rps: Math.round(median(rps.off)),
    // Server CPU per request, off ÷ on: the throughput ratio a CPU-bound server would show, less sensitive to
    // other load on the machine than req/s.
    logging_cpu_ratio: round(median(cpuPerRequest.off) / median(cpuPerRequest.on)),
    logging_on_cpu_ms_per_request: round(median(cpuPerRequest.on), 4),
    logging_off_cpu_ms_per_request: round(median(cpuPerRequest.off), 4),
    logging_on_p99_ms: round(median(p99.on), 1),
    logging_off_p99_ms: round(median(p99.off), 1),
    logging_rows_written: logged,
    logging_rows_shed: shed,
    logging_failed_requests: failures,
    rss_mb: peakRss,
  };
}

/** Rows the server's request-log buffer shed so far (`homepot_request_log_dropped` on /metrics). */
async function shedRows(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^homepot_request_log_dropped (\d+)/m.exec(text)?.[1] ?? 0);
}
