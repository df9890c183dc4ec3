import { createUser } from "@homepot/core";
import { forecastFleetHealth } from "@homepot/core/insights/forecast-fleet-health";
import { listAtRiskDevices } from "@homepot/core/insights/list-at-risk-devices";
import { Fleet } from "@homepot/core/simulator/fleet";
import { ManualClock } from "@homepot/core/simulator/scheduler";
import { deviceCommands, deviceMetrics, deviceStateHistory, devices, healthChecks, sites } from "@homepot/db";
import { createTestApp, type TestApp } from "@homepot/server/testing";
import { asc, eq, isNull, like, or, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../lib/api-client.ts";
import { HttpFleetTransport, provisionHttpFleet } from "../lib/simulator-http.ts";
import { runCli } from "../testing.ts";

let t: TestApp;
let server: string;
const admin = { email: "sim-operator@example.com", password: "operator-password-1" };
beforeAll(async () => {
  t = await createTestApp();
  server = await t.app.listen({ port: 0, host: "127.0.0.1" });
  await createUser(t.ctx, { ...admin, username: "sim_operator", role: "operator" });
});
afterAll(async () => t?.close());

describe("simulator as HTTP clients", () => {
  it("registers devices with their own keys, reports health with metrics, and answers a queued PING", async () => {
    const client = new ApiClient(server);
    await client.login(admin.email, admin.password);
    const transport = new HttpFleetTransport(client);
    const provisioned = await provisionHttpFleet(client, transport, {
      sites: ["site-001", "site-002"],
      devices: 4,
      prefix: "http-pos-",
    });
    expect(provisioned.registered).toBe(4);
    const registered = await t.ctx.db.select().from(devices);
    expect(registered.map((d) => d.deviceId).sort()).toEqual([
      "http-pos-001",
      "http-pos-002",
      "http-pos-003",
      "http-pos-004",
    ]);
    expect(registered.every((d) => d.isSimulated && d.apiKeyHash && d.segment === "pos-terminals")).toBe(true);

    const clock = new ManualClock(Date.now());
    const fleet = new Fleet({
      devices: provisioned.specs,
      sites: provisioned.sites,
      transport,
      clock,
      seed: 9,
      intervalMs: 30_000,
    });
    await fleet.advance(60_000);
    expect(fleet.stats()).toMatchObject({ reportsSent: 8, reportsFailed: 0 });
    expect(await t.ctx.db.$count(healthChecks)).toBe(8);
    const [nulls] = await t.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(deviceMetrics)
      .where(
        or(
          isNull(deviceMetrics.cpuPercent),
          isNull(deviceMetrics.networkLatencyMs),
          isNull(deviceMetrics.transactionVolume),
          isNull(deviceMetrics.errorRate),
          isNull(deviceMetrics.queueDepth),
        ),
      );
    expect(nulls?.n).toBe(0);
    // The health report declares the device's interval; the server files it in device_metrics.collection_interval_s.
    const intervals = await t.ctx.db.selectDistinct({ s: deviceMetrics.collectionIntervalS }).from(deviceMetrics);
    expect(intervals).toEqual([{ s: 30 }]);

    const res = await client.request<{ data?: { command_id?: string }; command_id?: string }>(
      "POST",
      "/api/v1/devices/http-pos-002/commands",
      { body: { command_type: "ping" } },
    );
    expect(res.status).toBe(201);
    const commandId = res.body.data?.command_id ?? res.body.command_id;
    await fleet.advance(31_000); // next report, then the poll picks it up
    await fleet.advance(2_000); // the ping's round trip

    const [cmd] = await t.ctx.db
      .select()
      .from(deviceCommands)
      .where(eq(deviceCommands.commandId, String(commandId)));
    expect(cmd).toMatchObject({ status: "succeeded", deviceId: "http-pos-002" });
    expect(transport.failures).toEqual([]);

    // Provisioning again rotates the keys of the devices that exist, and they keep working.
    const second = new HttpFleetTransport(client);
    const again = await provisionHttpFleet(client, second, {
      sites: ["site-001", "site-002"],
      devices: 4,
      prefix: "http-pos-",
    });
    expect(again).toMatchObject({ registered: 0, rotated: 4 });
    expect(await second.sendReports((await collect(again.specs, clock)).slice(0, 2))).toBe(0);
  });

  it("homepot simulate runs for --duration and prints a summary", async () => {
    const res = await runCli([
      "simulate",
      "--server",
      server,
      "--devices",
      "3",
      "--site",
      "site-009",
      "--interval",
      "1s",
      "--duration",
      "2500ms",
      "--email",
      admin.email,
      "--password",
      admin.password,
      "--prefix",
      "cli-pos-",
      "--fault",
      "cli-pos-002:network_loss",
      "--json",
    ]);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary.devices).toBe(3);
    expect(summary.registered).toBe(3);
    expect(summary.reportsSent).toBeGreaterThanOrEqual(3);
    expect(summary.reportsFailed).toBe(0);
    expect(summary.faults).toMatchObject([{ deviceId: "cli-pos-002", kind: "network_loss" }]);
    expect(summary.reportsSkipped).toBeGreaterThan(0); // the cut-off device stayed silent
    const [row] = await t.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(healthChecks)
      .innerJoin(devices, eq(devices.id, healthChecks.deviceId))
      .where(like(devices.deviceId, "cli-pos-%"));
    expect(row?.n).toBe(summary.reportsSent);

    // The run ended: its devices are parked (maintenance, tagged), not offline, and insights leave them out.
    const parked = await t.ctx.db.select().from(devices).where(like(devices.deviceId, "cli-pos-%"));
    expect(summary.parked).toBe(3);
    for (const d of parked) {
      expect(d.status).toBe("maintenance");
      expect(d.tags).toEqual(["homepot-simulate", "simulation-finished"]);
    }
    const forecast = await forecastFleetHealth(t.ctx);
    expect(forecast.devices.map((d) => d.device_id).filter((id) => id.startsWith("cli-pos-"))).toEqual([]);
    const atRisk = await listAtRiskDevices(t.ctx, { minProbability: 0 });
    expect(atRisk.devices.map((d) => d.device_id).filter((id) => id.startsWith("cli-pos-"))).toEqual([]);
  });

  it("a second run resumes parked devices; --cleanup (admin) removes them and the sites simulate created", async () => {
    const again = await runCli([
      ...["simulate", "--server", server, "--devices", "3", "--site", "site-009", "--interval", "1s"],
      ...["--duration", "1s", "--email", admin.email, "--password", admin.password, "--prefix", "cli-pos-", "--json"],
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ registered: 0, rotated: 3, parked: 3 });
    const history = await t.ctx.db
      .select({ to: deviceStateHistory.newState })
      .from(deviceStateHistory)
      .where(eq(deviceStateHistory.deviceId, "cli-pos-001"))
      .orderBy(asc(deviceStateHistory.id));
    // parked, back in service for the second run, parked again
    expect(history.map((h) => h.to).slice(-3)).toEqual(["maintenance", "online", "maintenance"]);

    const asOperator = await runCli([
      "simulate",
      "--cleanup",
      "--server",
      server,
      "--email",
      admin.email,
      "--password",
      admin.password,
    ]);
    expect(asOperator.code).toBe(2);
    expect(asOperator.stderr).toMatch(/needs an admin/);

    const owner = { email: "sim-admin@example.com", password: "admin-password-1" };
    await createUser(t.ctx, { ...owner, username: "sim_admin", role: "admin" });
    const cleanup = await runCli([
      "simulate",
      "--cleanup",
      "--server",
      server,
      "--email",
      owner.email,
      "--password",
      owner.password,
      "--json",
    ]);
    expect(cleanup.code, cleanup.stderr).toBe(0);
    const result = JSON.parse(cleanup.stdout);
    expect(result.removed).toEqual(expect.arrayContaining(["cli-pos-001", "cli-pos-002", "cli-pos-003"]));
    expect(result.sites_removed).toContain("site-009");
    const left = await t.ctx.db.select().from(devices).where(like(devices.deviceId, "cli-pos-%"));
    expect(left.every((d) => !d.isActive)).toBe(true);
    const [site] = await t.ctx.db.select().from(sites).where(eq(sites.siteId, "site-009"));
    expect(site?.isActive).toBe(false);

    // Removed ids are never reused: a run with the same prefix says so instead of failing obscurely.
    const reuse = await runCli([
      ...["simulate", "--server", server, "--devices", "1", "--site", "site-010", "--duration", "1s"],
      ...["--email", admin.email, "--password", admin.password, "--prefix", "cli-pos-"],
    ]);
    expect(reuse.code, reuse.stderr).toBe(2);
    expect(reuse.stderr).toMatch(/cli-pos-001 was removed .*choose another --prefix/);
    const removedSite = await runCli([
      ...["simulate", "--server", server, "--devices", "1", "--site", "site-009", "--duration", "1s"],
      ...["--email", admin.email, "--password", admin.password, "--prefix", "new-pos-"],
    ]);
    expect(removedSite.code, removedSite.stderr).toBe(2);
    expect(removedSite.stderr).toMatch(/site site-009 was removed .*choose another --site/);
  });

  it("signs in with an API token from HOMEPOT_TOKEN, and says so when the token is revoked", async () => {
    const login = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: admin });
    const session = { authorization: `Bearer ${login.json().data.access_token}` };
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/tokens",
      headers: session,
      payload: { name: "simulate", scope: "operator" },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json().data;
    vi.stubEnv("HOMEPOT_TOKEN", token);
    try {
      const args = ["simulate", "--server", server, "--devices", "1", "--site", "site-011", "--duration", "1s"];
      const run = await runCli([...args, "--prefix", "tok-pos-", "--json"]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ registered: 1 });
      await t.app.inject({ method: "DELETE", url: `/api/v1/auth/tokens/${id}`, headers: session });
      const refused = await runCli([...args, "--prefix", "tok-pos-"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/HOMEPOT_TOKEN was refused \(401\): API token revoked/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("refuses bad arguments and wrong credentials clearly", async () => {
    expect(
      (await runCli(["simulate", "--server", server, "--devices", "0", "--email", "a@b.c", "--password", "x"])).code,
    ).toBe(2);
    expect(
      (await runCli(["simulate", "--server", server, "--interval", "10ms", "--email", "a@b.c", "--password", "x"]))
        .code,
    ).toBe(2);
    const badFault = await runCli([
      "simulate",
      "--server",
      server,
      "--fault",
      "x:meteor",
      "--email",
      "a@b.c",
      "--password",
      "x",
    ]);
    expect(badFault.code).toBe(2);
    expect(badFault.stderr).toMatch(/--fault must be DEVICE:KIND/);
    const wrong = await runCli([
      "simulate",
      "--server",
      server,
      "--email",
      admin.email,
      "--password",
      "wrong-password",
      "--duration",
      "1s",
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/login as sim-operator@example.com failed \(401\)/);
  });
});

async function collect(specs: { deviceId: string; siteId: string; siteDeviceCount: number }[], clock: ManualClock) {
  const { SimulatedDevice } = await import("@homepot/core/simulator/device-model");
  const { Rng } = await import("@homepot/core/simulator/random");
  const { siteActivity, defaultWeek } = await import("@homepot/core/simulator/site-activity");
  return specs.map(
    (s) =>
      new SimulatedDevice(s, new Rng(s.deviceId), clock.now()).report(
        clock.now(),
        siteActivity({ siteId: s.siteId, timezone: "UTC", days: defaultWeek() }, clock.now()),
      )!,
  );
}
