import { deviceMetrics, devices, sites } from "@homepot/db";
import { testDriver } from "@homepot/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../testing.ts";
import { runInsight } from "./ops.ts";

// Monday 2026-01-05 12:00 UTC; every row is placed relative to it.
const NOW = new Date(Date.UTC(2026, 0, 5, 12));
const MIN = 60_000;
const clock = { now: () => NOW };

let t: TestApp;
let headers: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { HOMEPOT_INSIGHTS_PROCESS: "on" } });
  headers = (await loginAs(t, "viewer")).headers;
  await t.ctx.db.insert(sites).values([
    { siteId: "site-a", name: "A", timezone: "UTC" },
    { siteId: "site-b", name: "B", timezone: "UTC" },
  ]);
  const ids = ["pos-ok", "pos-leak", "pos-b"];
  await t.ctx.db.insert(devices).values(
    ids.map((deviceId, i) => ({
      deviceId,
      name: deviceId,
      deviceType: "pos_terminal",
      siteId: i < 2 ? "site-a" : "site-b",
      status: "online",
      lastSeen: NOW,
    })),
  );
  // Two hours a minute: pos-leak's memory climbs 0.35 %/min for the last 80 minutes, the others hold steady.
  await t.ctx.db.insert(deviceMetrics).values(
    ids.flatMap((deviceId) =>
      Array.from({ length: 121 }, (_, i) => ({
        deviceId,
        timestamp: new Date(NOW.getTime() - (120 - i) * MIN),
        cpuPercent: 25 + 3 * Math.sin(i),
        memoryPercent: deviceId === "pos-leak" && i >= 40 ? 50 + 0.35 * (i - 40) : 50 + Math.sin(i * 7),
        diskPercent: 40,
        errorRate: 0.4,
        transactionCount: 3,
      })),
    ),
  );
});

afterAll(async () => {
  await t.close();
});

const get = async (url: string) => t.app.inject({ method: "GET", url: `/api/v1/ai${url}`, headers });

describe("insights in the helper process", () => {
  it(`runs in a helper process on PostgreSQL only (here: ${testDriver})`, async () => {
    expect((await get("/predictions/at-risk-devices")).statusCode).toBe(200);
    expect(t.app.insights.external).toBe(testDriver === "postgres");
    expect(t.app.insights.helperPid !== undefined).toBe(testDriver === "postgres");
  });

  it("answers what the use cases answer in the server's own thread, at the request's time and as its user", async () => {
    const atRisk = (await get("/predictions/at-risk-devices?min_probability=0")).json();
    const forecast = (await get("/health-forecast?hours=3")).json();
    const direct = { ...t.ctx, clock };
    expect(atRisk.devices.map((d: { device_id: string }) => d.device_id)).toContain("pos-leak");
    expect(atRisk.generated_at).toBe(NOW.toISOString());
    const { success: _s, count: _c, ...atRiskBody } = atRisk;
    expect(atRiskBody).toEqual(await runInsight("atRisk", direct, { minProbability: 0 }));
    const { success: _s2, count: _c2, ...forecastBody } = forecast;
    expect(forecastBody).toEqual(await runInsight("forecast", direct, { hours: 3 }));
    const anomalies = (await get("/anomalies")).json();
    expect(anomalies.devices_checked).toBe(3);
  });

  it("runs the failure-risk sweep of the anomaly-detection task, with its dates", async () => {
    const direct = { ...t.ctx, clock };
    const since = new Date(NOW.getTime() - 30 * MIN);
    const viaRunner = await t.app.insights.run("riskSweep", direct, { since });
    expect(viaRunner.evaluated).toBe(3);
    expect(viaRunner).toEqual(await runInsight("riskSweep", direct, { since }));
  });

  it("raises the use case's errors as the same HTTP answers", async () => {
    const res = await get("/health-forecast?site_id=nope");
    expect(res.statusCode).toBe(404);
    expect(res.json().detail ?? res.json().message).toMatch(/nope/);
  });

  it("starts a new helper after one dies, and the computations after it succeed", async () => {
    const first = t.app.insights.helperPid;
    if (first !== undefined) {
      process.kill(first, "SIGKILL");
      await vi.waitFor(() => expect(t.app.insights.helperPid).toBeUndefined(), { timeout: 10_000 });
    }
    expect((await get("/predictions/at-risk-devices")).statusCode).toBe(200);
    expect(t.app.insights.helperPid !== undefined && t.app.insights.helperPid !== first).toBe(
      testDriver === "postgres",
    );
  });
});
