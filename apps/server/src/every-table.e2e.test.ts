import { afterAll, describe, expect, it } from "vitest";
import { runCliProcess, type ServerProcess, serverEnv, startServer } from "./testing-process.ts";

/**
 * The product's promise (issue 4, "done when"): start it with the simulator, use it like people do
 * (`homepot traffic`), and every one of the 14 tables fills from real flows — no seed rows for the
 * time series. Intervals are shortened so this takes well under a minute.
 */
const admin = { email: "e2e-admin@example.com", password: "e2e-admin-password" };
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
});

const TABLES = [
  "sites",
  "devices",
  "users",
  "jobs",
  "health_checks",
  "audit_logs",
  "api_request_logs",
  "user_activities",
  "device_state_history",
  "job_outcomes",
  "error_logs",
  "device_metrics",
  "configuration_history",
  "site_operating_schedules",
];

describe("a running product with the simulator and traffic", () => {
  it("fills all 14 tables from real flows, with the metric columns filled", { timeout: 420_000 }, async () => {
    const env = await serverEnv({
      HOMEPOT_SIMULATOR: "on",
      HOMEPOT_SIMULATED_DEVICES: "12",
      HOMEPOT_SIMULATOR_INTERVAL_S: "2",
      HOMEPOT_ADMIN_EMAIL: admin.email,
      HOMEPOT_ADMIN_PASSWORD: admin.password,
    });
    server = await startServer(env);
    const traffic = await runCliProcess(
      [
        "traffic",
        "--server",
        server.url,
        "--duration",
        "20s",
        "--users",
        "2",
        "--pace",
        "0.1",
        "--jobs",
        "--json",
        "--quiet",
      ],
      env,
    );
    expect(traffic.code, traffic.stderr).toBe(0);
    const summary = JSON.parse(traffic.stdout);
    expect(summary.jobsCreated).toBeGreaterThanOrEqual(1);

    // A job finishes (config download, apply, restart, health check on each device, batch by batch) in
    // about a minute on the simulated devices; a download timeout and its retry, or a machine busy with the
    // rest of the suite, can triple that. Wait until every table has rows, up to a deadline.
    let counts: Record<string, number> = {};
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const res = await runCliProcess(["db", "count", "--json"], env);
      expect(res.code, res.stderr).toBe(0);
      counts = JSON.parse(res.stdout);
      if (TABLES.every((t) => (counts[t] ?? 0) > 0)) break;
      await new Promise((r) => setTimeout(r, 3000));
    }
    expect(
      TABLES.filter((t) => !((counts[t] ?? 0) > 0)),
      JSON.stringify(counts),
    ).toEqual([]);

    const metrics = await runCliProcess(["db", "query", "device_metrics", "--limit", "500", "--json"], env);
    const rows = JSON.parse(metrics.stdout) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(12);
    const columns = [
      "cpu_percent",
      "memory_percent",
      "disk_percent",
      "network_latency_ms",
      "transaction_count",
      "transaction_volume",
      "error_rate",
      "active_connections",
      "queue_depth",
      "extra_metrics",
    ];
    for (const c of columns) expect(rows.filter((r) => r[c] === null || r[c] === undefined).length, c).toBe(0);
  });
});
