import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  embeddedDbUrl,
  repoRoot,
  type ServerProcess,
  serverEnv,
  startServer,
} from "../../server/src/testing-process.ts";

/**
 * The real agent against the real server: both as child processes, the agent reading this machine.
 * The server is stopped for a while to show that every sample queued on disk arrives exactly once.
 */
const ADMIN = { email: "agent-e2e-admin@example.com", password: "agent-e2e-password" };
const DEVICE_ID = "e2e-agent-01";
const SITE_ID = "site-agent-e2e";

let env: Record<string, string>;
let server: ServerProcess;
let agent: ChildProcess | undefined;
let agentOutput = "";
let configServer: Server;
let configUrl = "";
let configHost = "";
const configRequests: string[] = [];
const agentDir = mkdtempSync(join(tmpdir(), "homepot-agent-e2e-"));

function agentCli(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [join(repoRoot, "apps/agent/bin/homepot-agent.js"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, HOMEPOT_DEVICE_API_KEY: "", ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    proc.stdout.on("data", (d) => (output += String(d)));
    proc.stderr.on("data", (d) => (output += String(d)));
    proc.once("exit", (code) => resolve({ code, output }));
  });
}

async function query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: embeddedDbUrl(server.dataDir) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n--- agent output ---\n${agentOutput.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function login(): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  return ((await res.json()) as { data: { access_token: string } }).data.access_token;
}

const queuedSampleIds = () =>
  readdirSync(join(agentDir, "queue"))
    .filter((f) => f.endsWith(".json") && f.includes("-metrics-"))
    .map((f) => f.replace(/^.*-metrics-/, "").replace(/\.json$/, ""));

beforeAll(async () => {
  configServer = createServer((req, res) => {
    configRequests.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ version: "e2e-2.0", receipt_footer: "Thank you", served_path: req.url }));
  });
  await new Promise<void>((r) => configServer.listen(0, "127.0.0.1", r));
  configHost = `127.0.0.1:${(configServer.address() as AddressInfo).port}`;
  configUrl = `http://${configHost}/pos-config.json`;
  env = await serverEnv({
    HOMEPOT_ADMIN_EMAIL: ADMIN.email,
    HOMEPOT_ADMIN_PASSWORD: ADMIN.password,
    MQTT_URL: "mqtt://127.0.0.1:1883",
  });
  server = await startServer(env, 120_000);
}, 150_000);

afterAll(async () => {
  if (agent && agent.exitCode === null) agent.kill("SIGKILL");
  await server?.stop();
  await new Promise((r) => configServer?.close(r));
});

describe("homepot-agent against a real server", () => {
  it("registers, reports real metrics, runs PING and UPDATE_CONFIG, and delivers an outage's samples exactly once", async () => {
    const token = await login();
    expect((await api("POST", "/sites", token, { site_id: SITE_ID, name: "Agent E2E Store" })).status).toBe(201);

    // Register through the CLI: key file 0600, key never printed.
    const reg = await agentCli(
      [
        "register",
        "--server",
        server.url,
        "--site",
        SITE_ID,
        "--device-id",
        DEVICE_ID,
        "--email",
        ADMIN.email,
        "--dir",
        agentDir,
      ],
      {
        HOMEPOT_PASSWORD: ADMIN.password,
      },
    );
    expect(reg.code, reg.output).toBe(0);
    const keyFile = join(agentDir, "credentials.json");
    expect((statSync(keyFile).mode & 0o777).toString(8)).toBe("600");
    const apiKey = JSON.parse(readFileSync(keyFile, "utf8")).api_key as string;
    expect(apiKey.length).toBeGreaterThan(20);
    expect(reg.output).not.toContain(apiKey);
    const again = await agentCli(
      [
        "register",
        "--server",
        server.url,
        "--site",
        SITE_ID,
        "--device-id",
        DEVICE_ID,
        "--email",
        ADMIN.email,
        "--dir",
        mkdtempSync(join(tmpdir(), "homepot-agent-e2e-")),
      ],
      {
        HOMEPOT_PASSWORD: ADMIN.password,
      },
    );
    expect(again.code).toBe(1);
    expect(again.output).toContain("already registered (409)");

    // POS figures come from the operator's own file, never invented.
    const posFile = join(agentDir, "pos-figures.json");
    writeFileSync(
      posFile,
      JSON.stringify({
        transaction_count: 42,
        transaction_volume: 1234.5,
        queue_depth: 3,
        services: { pos_app: "running" },
      }),
    );
    agent = spawn(
      process.execPath,
      [
        join(repoRoot, "apps/agent/bin/homepot-agent.js"),
        ...[
          "run",
          "--dir",
          agentDir,
          "--interval",
          "1",
          "--poll-interval",
          "1",
          "--max-backoff",
          "2",
          "--mqtt-url",
          "mqtt://127.0.0.1:1883",
          "--transactions-file",
          posFile,
          "--config-hosts",
          configHost,
        ],
      ],
      { cwd: repoRoot, env: { ...process.env, HOMEPOT_DEVICE_API_KEY: "" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    agent.stdout?.on("data", (d) => (agentOutput += String(d)));
    agent.stderr?.on("data", (d) => (agentOutput += String(d)));

    // Real figures of this machine arrive in device_metrics and health_checks.
    const [metric] = await until("a metrics sample", async () => {
      const rows = await query<{
        cpu_percent: number;
        memory_percent: number;
        disk_percent: number;
        network_latency_ms: number;
        extra_metrics: Record<string, any>;
      }>("select * from device_metrics where device_id = $1 order by id limit 1", [DEVICE_ID]);
      return rows.length ? rows : undefined;
    });
    expect(metric?.cpu_percent).toBeGreaterThan(0);
    expect(metric?.memory_percent).toBeGreaterThan(0);
    expect(metric?.disk_percent).toBeGreaterThan(0);
    expect(metric?.network_latency_ms).toBeGreaterThan(0);
    expect(metric?.extra_metrics.uptime_seconds).toBeGreaterThan(0);
    expect(metric?.extra_metrics.device_info.cores).toBeGreaterThan(0);
    expect(metric).toMatchObject({
      transaction_count: 42,
      transaction_volume: 1234.5,
      queue_depth: 3,
      error_rate: null,
    });
    expect(metric?.extra_metrics.services).toMatchObject({ agent: "running", pos_app: "running" });
    const health = await until("a health check", async () => {
      const rows = await query<{ is_healthy: boolean; status_code: number }>(
        "select h.* from health_checks h join devices d on d.id = h.device_id where d.device_id = $1",
        [DEVICE_ID],
      );
      return rows.length ? rows : undefined;
    });
    expect(health[0]?.status_code).toBe(health[0]?.is_healthy ? 200 : 500);
    const [device] = await query<{ status: string; last_seen: Date | null }>(
      "select status, last_seen from devices where device_id = $1",
      [DEVICE_ID],
    );
    expect(device?.last_seen).not.toBeNull();

    // PING round trip.
    const ping = await api("POST", `/devices/${DEVICE_ID}/commands`, token, { command_type: "ping" });
    expect(ping.status).toBe(201);
    const pinged = await until("the PING result", async () => {
      const list = await api("GET", `/devices/${DEVICE_ID}/commands`, token);
      const c = list.body.commands.find((x: { command_id: string }) => x.command_id === ping.body.data.command_id);
      return c?.status === "succeeded" ? c : undefined;
    });
    expect(pinged.result.pong).toBe(true);
    expect(pinged.sent_at).toBeTruthy();

    // UPDATE_CONFIG round trip: downloaded, applied atomically, before/after health reported.
    const update = await api("POST", `/devices/${DEVICE_ID}/commands`, token, {
      command_type: "UPDATE_CONFIG",
      payload: { config_url: configUrl, config_version: "e2e-2.0", settle_s: 0 },
    });
    expect(update.status).toBe(201);
    const updated = await until("the UPDATE_CONFIG result", async () => {
      const list = await api("GET", `/devices/${DEVICE_ID}/commands?status=succeeded,failed`, token);
      return list.body.commands.find((x: { command_id: string }) => x.command_id === update.body.data.command_id);
    });
    expect(updated.status, JSON.stringify(updated)).toBe("succeeded");
    expect(updated.result).toMatchObject({
      config_version: "e2e-2.0",
      performance_before: { status: expect.any(String) },
      performance_after: { status: expect.any(String) },
    });
    expect(JSON.parse(readFileSync(join(agentDir, "device-config.json"), "utf8"))).toEqual({
      version: "e2e-2.0",
      receipt_footer: "Thank you",
      served_path: "/pos-config.json",
    });
    await until("the new config version on the device", async () => {
      const [row] = await query<{ config_version: string | null }>(
        "select config_version from devices where device_id = $1",
        [DEVICE_ID],
      );
      return row?.config_version === "e2e-2.0";
    });

    // A config URL on a host that is neither the server nor on the device's --config-hosts is refused unfetched.
    const foreign = await api("POST", `/devices/${DEVICE_ID}/commands`, token, {
      command_type: "UPDATE_CONFIG",
      payload: { config_url: `http://localhost:${configHost.split(":")[1]}/internal`, settle_s: 0 },
    });
    const refused = await until("the refused UPDATE_CONFIG result", async () => {
      const list = await api("GET", `/devices/${DEVICE_ID}/commands?status=succeeded,failed`, token);
      return list.body.commands.find((x: { command_id: string }) => x.command_id === foreign.body.data.command_id);
    });
    expect(refused.status).toBe("failed");
    expect(refused.error_message).toContain("is not this device's server");
    expect(configRequests).toEqual(["/pos-config.json"]);

    // REBOOT without --allow-reboot is refused and reported failed; RESTART_AGENT restarts the loop.
    const reboot = await api("POST", `/devices/${DEVICE_ID}/commands`, token, { command_type: "reboot" });
    const restart = await api("POST", `/devices/${DEVICE_ID}/commands`, token, { command_type: "RESTART_AGENT" });
    const finished = await until("REBOOT and RESTART_AGENT results", async () => {
      const list = await api("GET", `/devices/${DEVICE_ID}/commands?status=succeeded,failed`, token);
      const byId = new Map(list.body.commands.map((c: { command_id: string }) => [c.command_id, c]));
      const r = byId.get(reboot.body.data.command_id) as { status: string; error_message: string } | undefined;
      const a = byId.get(restart.body.data.command_id) as { status: string } | undefined;
      return r && a ? { r, a } : undefined;
    });
    expect(finished.r.status).toBe("failed");
    expect(finished.r.error_message).toContain("not permitted");
    expect(finished.a.status).toBe("succeeded");
    await until("the restarted agent", async () => agentOutput.split('"msg":"agent started"').length > 2);
    const failures = await query("select * from error_logs where device_id = $1 and error_code = 'COMMAND_FAIL_001'", [
      DEVICE_ID,
    ]);
    expect(failures).toHaveLength(2);

    // Outage: samples pile up on disk while the server is down.
    expect(await server.stop()).toBe(0);
    const outageIds = new Set<string>();
    await until("samples queued during the outage", async () => {
      for (const id of queuedSampleIds()) outageIds.add(id);
      return outageIds.size >= 4;
    });
    expect(agentOutput).toContain("server unavailable; keeping data on disk");
    server = await startServer(env, 120_000);
    await until("the queue to drain", async () => {
      for (const id of queuedSampleIds()) outageIds.add(id);
      return readdirSync(join(agentDir, "queue")).filter((f) => f.endsWith(".json")).length === 0;
    });

    // Every queued sample arrived exactly once, and no sample of the run was stored twice.
    const rows = await query<{ sid: string; n: string }>(
      "select extra_metrics->>'sample_id' as sid, count(*) as n from device_metrics where device_id = $1 group by 1",
      [DEVICE_ID],
    );
    const counts = new Map(rows.map((r) => [r.sid, Number(r.n)]));
    for (const id of outageIds) expect(counts.get(id), `sample ${id}`).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(outageIds.size).toBeGreaterThanOrEqual(4);

    // Status knows what happened; the key appears nowhere in the agent's output.
    const status = await agentCli(["status", "--json", "--dir", agentDir]);
    const report = JSON.parse(status.output);
    expect(report).toMatchObject({
      device_id: DEVICE_ID,
      key_file_mode: "600",
      running: true,
      config_version: "e2e-2.0",
      dropped_samples: 0,
    });
    expect(status.output).not.toContain(apiKey);
    expect(agentOutput).not.toContain(apiKey);

    // --once with the key from HOMEPOT_DEVICE_API_KEY (no key file): one reading delivered, exit 0; a wrong key: exit 3.
    const onceDir = mkdtempSync(join(tmpdir(), "homepot-agent-e2e-once-"));
    const onceArgs = ["run", "--once", "--dir", onceDir, "--server", server.url, "--device-id", DEVICE_ID];
    const before = await query<{ n: string }>("select count(*) as n from device_metrics where device_id = $1", [
      DEVICE_ID,
    ]);
    const once = await agentCli(onceArgs, { HOMEPOT_DEVICE_API_KEY: apiKey });
    expect(once.code, once.output).toBe(0);
    expect(once.output).not.toContain(apiKey);
    const after = await query<{ n: string }>("select count(*) as n from device_metrics where device_id = $1", [
      DEVICE_ID,
    ]);
    expect(Number(after[0]?.n)).toBeGreaterThan(Number(before[0]?.n));
    const wrong = await agentCli(onceArgs, { HOMEPOT_DEVICE_API_KEY: `${apiKey.slice(0, -4)}xxxx` });
    expect(wrong.code, wrong.output).toBe(3);
    expect(wrong.output).toContain("the server refused this device's key");
    // register --key stores an existing device's key without registering again.
    const keyDir = mkdtempSync(join(tmpdir(), "homepot-agent-e2e-key-"));
    const withKey = await agentCli(
      ["register", "--server", server.url, "--site", SITE_ID, "--device-id", DEVICE_ID, "--dir", keyDir],
      { HOMEPOT_DEVICE_API_KEY: apiKey },
    );
    expect(withKey.code, withKey.output).toBe(0);
    expect(withKey.output).not.toContain(apiKey);
    expect(JSON.parse(readFileSync(join(keyDir, "credentials.json"), "utf8")).api_key).toBe(apiKey);
    expect((statSync(join(keyDir, "credentials.json")).mode & 0o777).toString(8)).toBe("600");

    // A revoked key stops the agent with a clear message (exit 3) instead of retrying forever.
    const exited = new Promise<number | null>((r) =>
      agent?.exitCode !== null ? r(agent?.exitCode ?? null) : agent?.once("exit", (c) => r(c)),
    );
    expect((await api("DELETE", `/devices/${DEVICE_ID}/api-key`, token)).status).toBe(200);
    expect(await exited).toBe(3);
    expect(agentOutput).toContain("the server refused this device's key");
    expect(agentOutput).not.toContain(apiKey);
    expect(existsSync(keyFile)).toBe(true);
  }, 300_000);
});
