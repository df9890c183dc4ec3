import { createUser, systemContext } from "@homepot/core";
import { apiRequestLogs, openDatabase } from "@homepot/db";
import { load, round } from "../lib/load.ts";
import { startBenchServer } from "../lib/server.ts";
import type { BenchOptions } from "../lib/types.ts";

/**
 * Cost of request logging: req/s of an authenticated API route (GET /api/v1/auth/me, JWT + user lookup)
 * with api_request_logs on ÷ off (goal ≥ 0.95), rounds alternated to spread machine noise; the same as a
 * ratio of server CPU time per request; and the server's peak RSS under that load.
 */
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
  const rounds: boolean[] = options.quick ? [false, true] : [false, true, false, true, false, true];
  const rps: Record<"on" | "off", number[]> = { on: [], off: [] };
  const p99: Record<"on" | "off", number[]> = { on: [], off: [] };
  const cpuPerRequest: Record<"on" | "off", number[]> = { on: [], off: [] };
  let peakRss = 0;
  let requestsOn = 0;
  let failures = 0;

  for (const logging of rounds) {
    const mode = logging ? "on" : "off";
    const server = await startBenchServer(options.databaseUrl, { requestLogging: logging });
    try {
      const res = await fetch(`${server.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`bench login failed: ${res.status} ${await res.text()}`);
      const token = ((await res.json()) as { data: { access_token: string } }).data.access_token;
      const target = {
        url: `${server.url}/api/v1/auth/me`,
        headers: { authorization: `Bearer ${token}` },
        connections: 16,
      };
      await load({ ...target, durationS: 1 }); // warm-up (JIT, user cache, pool)
      const cpuBefore = server.cpuMs();
      const result = await load({ ...target, durationS, onTick: () => (peakRss = Math.max(peakRss, server.rssMb())) });
      cpuPerRequest[mode].push((server.cpuMs() - cpuBefore) / Math.max(1, result.requests));
      failures += result.non2xx + result.errors;
      rps[mode].push(result.rps);
      p99[mode].push(result.latencyP99Ms);
      if (logging) requestsOn += result.requests;
      options.log(
        `logging ${mode}: ${Math.round(result.rps)} req/s, p99 ${result.latencyP99Ms} ms, ${round(cpuPerRequest[mode].at(-1) ?? 0)} ms CPU/request, rss ${server.rssMb()} MB`,
      );
    } finally {
      await server.stop();
    }
  }

  // Logging must really have happened: the rows are in the table (plus warm-up and login rows).
  const check = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 1 });
  const logged = await check.db.$count(apiRequestLogs);
  await check.close();
  if (logged < requestsOn) throw new Error(`request logging lost rows: ${logged} logged < ${requestsOn} requests`);

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return {
    logging_ratio: round(mean(rps.on) / mean(rps.off)),
    logging_on_rps: Math.round(mean(rps.on)),
    logging_off_rps: Math.round(mean(rps.off)),
    // Server CPU per request, off ÷ on: the throughput ratio a CPU-bound server would show, less sensitive to
    // other load on the machine than req/s.
    logging_cpu_ratio: round(mean(cpuPerRequest.off) / mean(cpuPerRequest.on)),
    logging_on_cpu_ms_per_request: round(mean(cpuPerRequest.on), 4),
    logging_off_cpu_ms_per_request: round(mean(cpuPerRequest.off), 4),
    logging_on_p99_ms: round(mean(p99.on), 1),
    logging_off_p99_ms: round(mean(p99.off), 1),
    logging_rows_written: logged,
    logging_failed_requests: failures,
    rss_mb: peakRss,
  };
}
