import { fileURLToPath } from "node:url";
import { systemContext } from "@homepot/core";
import { registerDevice } from "@homepot/core/devices/register-device";
import { createSite } from "@homepot/core/sites/create-site";
import { deviceMetrics, openDatabase } from "@homepot/db";
import autocannon from "autocannon";
import pg from "pg";
import { SERVER_NODE_FLAGS } from "../../apps/server/src/node-flags.ts";
import { measureAlertEvaluation } from "../lib/alert-eval.ts";
import { startChild } from "../lib/child.ts";
import { copyFrom, copyValue } from "../lib/copy.ts";
import { median, round } from "../lib/load.ts";
import { cpuMsOf, startBenchServer } from "../lib/server.ts";
import type { BenchOptions } from "../lib/types.ts";

const bareScript = fileURLToPath(new URL("../lib/bare-server.ts", import.meta.url));

/**
 * Telemetry ingest, the product's hottest path, on real PostgreSQL:
 * - ingest_ratio: authenticated single-sample POST /api/v1/analytics/device-metrics req/s (device key,
 *   validation, group-committed insert, request logging on) ÷ a bare Fastify JSON route's req/s, same
 *   load (autocannon, one device per connection), in alternating rounds (medians). Goal ≥ 0.5. Also
 *   ingest_cpu_ratio: the same as server CPU per request (bare ÷ ingest), steadier on a shared machine.
 * - batch_ratio: rows/s of POST {samples: [1000]} ÷ rows/s of PostgreSQL COPY of the same rows in the
 *   same 1000-row batches over the same number of connections. Goal ≥ 0.5.
 * - alert_eval_us_per_sample: the alert evaluator's cost per sample with 20 metric rules (in memory, no writes), and
 *   alert_eval_vs_json_parse_ratio: that ÷ JSON.parse of the sample's body, same run.
 * Every acknowledged row is checked to be in the table.
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const durationS = options.quick ? 3 : 10;
  // Many devices report at once in a real fleet: one connection per device, 256 devices.
  const connections = 256;
  const batchConnections = 4;
  const devices = await setupDevices(options.databaseUrl, connections);

  // Baseline 1: bare Fastify, measured in rounds alternating with the real route (medians), so load from other
  // processes on the machine falls on both alike.
  // Both servers run with the flags `npm start` gives the app.
  const bare = await startChild(bareScript, {}, { nodeArgs: [...SERVER_NODE_FLAGS] });
  const server = await startBenchServer(options.databaseUrl);
  const rounds = options.quick ? 3 : 5;
  const bareRuns: Measured[] = [];
  const singleRuns: Measured[] = [];
  let batch: Measured;
  let peakRss = 0;
  try {
    const url = `${server.url}/api/v1/analytics/device-metrics`;
    const perDevice = (i: number) => devices[i % devices.length] as BenchDevice;
    const bareBody = JSON.stringify(sample(devices[0]?.deviceId ?? "x"));
    // The device is named by its headers (a body device_id is optional), so every connection sends the same body.
    const { device_id: _omit, ...anonymous } = sample("x");
    const singleBody = JSON.stringify(anonymous);
    const bareLoad = (durationS: number) =>
      measure({ url: `${bare.url}/ingest`, body: bareBody, connections, durationS, cpuMs: () => cpuMsOf(bare.pid) });
    const singleLoad = (durationS: number) =>
      measure({
        url,
        connections,
        durationS,
        body: singleBody,
        perClient: (i) => ({ headers: perDevice(i).headers }),
        onTick: () => (peakRss = Math.max(peakRss, server.rssMb())),
        cpuMs: () => server.cpuMs(),
      });
    await bareLoad(1);
    await singleLoad(1);
    for (let r = 0; r < rounds; r++) {
      bareRuns.push(await bareLoad(durationS));
      singleRuns.push(await singleLoad(durationS));
      options.log(
        `round ${r + 1}: bare ${Math.round(bareRuns[r]?.rps ?? 0)} req/s, single-sample ingest ${Math.round(singleRuns[r]?.rps ?? 0)} req/s, p99 ${singleRuns[r]?.p99Ms} ms (${singleRuns[r]?.failures} failed)`,
      );
    }
    batch = await measure({
      url,
      connections: batchConnections,
      durationS,
      perClient: (i) => ({
        headers: perDevice(i).headers,
        body: JSON.stringify({ samples: Array.from({ length: 1000 }, () => sample(perDevice(i).deviceId)) }),
      }),
      onTick: () => (peakRss = Math.max(peakRss, server.rssMb())),
    });
    options.log(
      `batch ingest: ${Math.round(batch.rps * 1000)} rows/s, p99 ${batch.p99Ms} ms (${batch.failures} failed)`,
    );
  } finally {
    await server.stop();
    await bare.stop();
  }
  const bareRps = median(bareRuns.map((m) => m.rps));
  const singleRps = median(singleRuns.map((m) => m.rps));
  const single: Measured = {
    rps: singleRps,
    p99Ms: median(singleRuns.map((m) => m.p99Ms)),
    ok: singleRuns.reduce((a, m) => a + m.ok, 0),
    failures: singleRuns.reduce((a, m) => a + m.failures, 0),
    cpuMsPerRequest: median(singleRuns.map((m) => m.cpuMsPerRequest)),
  };
  const bareCpu = median(bareRuns.map((m) => m.cpuMsPerRequest));

  // Nothing acknowledged may be missing.
  const check = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 1 });
  const stored = await check.db.$count(deviceMetrics);
  await check.close();
  const acknowledged = single.ok + batch.ok * 1000;
  if (stored < acknowledged) throw new Error(`ingest lost rows: ${stored} stored < ${acknowledged} acknowledged`);

  // Baseline 2: COPY of the same rows, 1000 per statement, same concurrency.
  const copyRowsPerS = await measureCopy(
    options.databaseUrl,
    devices.map((d) => d.deviceId),
    batchConnections,
    durationS,
  );
  options.log(`COPY: ${Math.round(copyRowsPerS)} rows/s`);

  const batchRowsPerS = batch.rps * 1000;
  // Alert rules are evaluated as samples arrive: their cost per sample, with 20 rules over these devices.
  const alertEval = await measureAlertEvaluation(
    options.databaseUrl,
    devices.map((d) => d.deviceId),
    options.quick ? 20_000 : 200_000,
  );
  options.log(`alert evaluation: ${alertEval.alert_eval_us_per_sample} µs per sample (20 rules)`);
  return {
    ...alertEval,
    ingest_ratio: round(single.rps / bareRps),
    // Server CPU per request, bare ÷ ingest: what the ratio would be if each server had a core of its own.
    ingest_cpu_ratio: round(bareCpu / Math.max(1e-9, single.cpuMsPerRequest)),
    ingest_single_cpu_ms_per_request: round(single.cpuMsPerRequest, 4),
    ingest_bare_cpu_ms_per_request: round(bareCpu, 4),
    ingest_rounds: rounds,
    batch_ratio: round(batchRowsPerS / copyRowsPerS),
    ingest_single_rps: Math.round(single.rps),
    ingest_single_p99_ms: single.p99Ms,
    ingest_bare_fastify_rps: Math.round(bareRps),
    ingest_batch_rows_per_s: Math.round(batchRowsPerS),
    ingest_batch_p99_ms: batch.p99Ms,
    ingest_copy_rows_per_s: Math.round(copyRowsPerS),
    ingest_failed_requests: single.failures + batch.failures,
    ingest_rows_stored: stored,
    rss_mb: peakRss,
  };
}

interface BenchDevice {
  deviceId: string;
  headers: Record<string, string>;
}

function sample(deviceId: string) {
  return {
    device_id: deviceId,
    cpu_percent: 20 + Math.random() * 60,
    memory_percent: 30 + Math.random() * 50,
    disk_percent: 40 + Math.random() * 20,
    network_latency_ms: 5 + Math.random() * 40,
    transaction_count: Math.floor(Math.random() * 500),
    transaction_volume: Math.round(Math.random() * 100_000) / 100,
    error_rate: Math.random() * 2,
    active_connections: Math.floor(Math.random() * 20),
    queue_depth: Math.floor(Math.random() * 5),
    extra_metrics: {
      uptime_seconds: Math.floor(Math.random() * 1e6),
      services: { pos_app: "running", payment_gateway: "connected" },
    },
  };
}

async function setupDevices(databaseUrl: string, n: number): Promise<BenchDevice[]> {
  const database = await openDatabase({ databaseUrl, poolSize: 2 });
  try {
    const ctx = systemContext(database.db, "bench");
    await createSite(ctx, { siteId: "bench-site", name: "Bench Store" });
    const out: BenchDevice[] = [];
    for (let i = 0; i < n; i++) {
      const { device, apiKey } = await registerDevice(ctx, "bench-site", {
        deviceId: `bench-pos-${i}`,
        name: `Bench POS ${i}`,
        deviceType: "pos_terminal",
      });
      out.push({
        deviceId: device.deviceId,
        headers: { "x-device-id": device.deviceId, "x-api-key": apiKey, "content-type": "application/json" },
      });
    }
    return out;
  } finally {
    await database.close();
  }
}

interface Measured {
  rps: number;
  p99Ms: number;
  ok: number;
  failures: number;
  /** Server CPU per answered request (when `cpuMs` was given). */
  cpuMsPerRequest: number;
}

async function measure(o: {
  url: string;
  connections: number;
  durationS: number;
  body?: string;
  perClient?: (i: number) => { headers: Record<string, string>; body?: string };
  onTick?: () => void;
  /** The server's CPU time so far (ms). */
  cpuMs?: () => number;
}): Promise<Measured> {
  let client = 0;
  const cpu0 = o.cpuMs?.() ?? 0;
  const ticker = o.onTick ? setInterval(o.onTick, 250) : undefined;
  try {
    const result = await autocannon({
      url: o.url,
      method: "POST",
      headers: { "content-type": "application/json" },
      ...(o.body === undefined ? {} : { body: o.body }),
      connections: o.connections,
      duration: o.durationS,
      timeout: 30,
      ...(o.perClient
        ? {
            setupClient: (c) => {
              const setup = o.perClient?.(client++);
              if (!setup) return;
              c.setHeaders(setup.headers);
              if (setup.body !== undefined) c.setBody(setup.body);
            },
          }
        : {}),
    });
    return {
      rps: result.requests.average,
      p99Ms: result.latency.p99,
      ok: result["2xx"],
      failures: result.non2xx + result.errors + result.timeouts,
      cpuMsPerRequest: ((o.cpuMs?.() ?? 0) - cpu0) / Math.max(1, result.requests.total),
    };
  } finally {
    if (ticker) clearInterval(ticker);
  }
}

async function measureCopy(
  databaseUrl: string,
  deviceIds: string[],
  connections: number,
  durationS: number,
): Promise<number> {
  const statement = `COPY device_metrics (timestamp, device_id, cpu_percent, memory_percent, disk_percent, network_latency_ms, transaction_count,
    transaction_volume, error_rate, active_connections, queue_depth, extra_metrics) FROM STDIN`;
  const batchFor = (deviceId: string) => {
    const ts = new Date().toISOString().slice(0, -1);
    const lines = Array.from({ length: 1000 }, () => {
      const s = sample(deviceId);
      return [
        ts,
        s.device_id,
        s.cpu_percent,
        s.memory_percent,
        s.disk_percent,
        s.network_latency_ms,
        s.transaction_count,
        s.transaction_volume,
        s.error_rate,
        s.active_connections,
        s.queue_depth,
        s.extra_metrics,
      ]
        .map(copyValue)
        .join("\t");
    });
    return Buffer.from(`${lines.join("\n")}\n`);
  };
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  try {
    let rows = 0;
    const deadline = Date.now() + durationS * 1000;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: connections }, async (_, i) => {
        const data = batchFor(deviceIds[i % deviceIds.length] ?? "bench");
        const client = await pool.connect();
        try {
          while (Date.now() < deadline) rows += await copyFrom(client, statement, data);
        } finally {
          client.release();
        }
      }),
    );
    return rows / ((Date.now() - started) / 1000);
  } finally {
    await pool.end();
  }
}
