import { alertRules, alerts, deviceMetrics, liveAnomalies } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app.ts";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice } from "../devices/device-factories.ts";

const NOW = new Date(Date.UTC(2026, 0, 5, 12));
const STEP = 30_000;
const N = 440;
const SPIKES = { memory: 395, cpu: 399 };
let t: TestApp;
let restarted: FastifyInstance | undefined;

beforeAll(async () => {
  t = await createTestApp({ clock: { now: () => NOW } });
});
afterAll(async () => {
  await restarted?.close();
  await t.close();
});

/** 440 samples 30 s apart ending at NOW: CPU near 30 % with one sample at 95 %, memory near 50 % with one at 90 %. */
function samples() {
  return Array.from({ length: N }, (_, i) => ({
    timestamp: new Date(NOW.getTime() - (N - 1 - i) * STEP).toISOString(),
    cpu_percent: i === SPIKES.cpu ? 95 : 30 + 2 * Math.sin(i * 12.9898),
    memory_percent: i === SPIKES.memory ? 90 : 50 + Math.sin(i * 7.1),
  }));
}

async function post(app: FastifyInstance, headers: Record<string, string>, part: object[]) {
  const res = await app.inject({
    method: "POST",
    url: "/api/v1/analytics/device-metrics",
    headers,
    payload: { samples: part },
  });
  expect(res.statusCode).toBe(201);
  await app.alerts.idle();
}

describe("the live detector on telemetry as it arrives: GET /ai/anomalies/live and the anomaly rule's alerts", () => {
  it("scores each sample on arrival, stores its alarms, raises one alert per device, and after a restart lists them and resolves the alert once calm", async () => {
    const { device, headers: deviceHeaders } = await makeDevice(t);
    const viewer = (await loginAs(t, "viewer")).headers;
    const url = `/api/v1/ai/anomalies/live?device_id=${device.deviceId}`;
    expect((await t.app.inject({ method: "GET", url, headers: viewer })).json()).toMatchObject({ count: 0 });

    const all = samples();
    // Three requests: the detector keeps its state between them (the spikes are in the second and third).
    for (const part of [all.slice(0, 350), all.slice(350, 397), all.slice(397, SPIKES.cpu + 1)])
      await post(t.app, deviceHeaders, part);
    const res = await t.app.inject({ method: "GET", url, headers: viewer });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ success: true, count: 2 });
    const [cpu, memory] = body.anomalies;
    expect(memory).toMatchObject({ metric: "memory_percent", value: 90 });
    expect(cpu).toMatchObject({
      device_id: device.deviceId,
      metric: "cpu_percent",
      value: 95,
      at: all[SPIKES.cpu]?.timestamp,
    });
    expect(cpu.expected).toBeGreaterThan(27);
    expect(cpu.expected).toBeLessThan(33);
    expect(cpu.expected_high).toBeLessThan(95);
    expect(cpu.expected_low).toBeLessThan(cpu.expected);
    expect(cpu.score).toBeGreaterThanOrEqual(0.45);
    expect(cpu.z).toBeGreaterThan(3);
    // Fleet-wide list holds it too.
    const fleet = (await t.app.inject({ method: "GET", url: "/api/v1/ai/anomalies/live", headers: viewer })).json();
    expect(fleet.anomalies.map((x: { device_id: string }) => x.device_id)).toContain(device.deviceId);

    // The built-in anomaly rule raised one alert for the device (the second alarm is an occurrence of it).
    const [rule] = await t.ctx.db.select().from(alertRules).where(eq(alertRules.builtinKey, "anomaly"));
    const fingerprint = `r${rule?.id}:${device.deviceId}`;
    const open = await t.ctx.db.select().from(alerts).where(eq(alerts.fingerprint, fingerprint));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ status: "open", kind: "anomaly", deviceId: device.deviceId, occurrences: 2 });
    expect(open[0]?.message).toContain("cpu_percent 95, expected");

    // A restart: a new app on the same database. The alarms are read back from live_anomalies; the device's
    // detectors are rebuilt from its stored rows on its next sample, and once every metric is calm the alert resolves.
    restarted = await buildApp(
      { config: t.config, database: t.database, clock: { now: () => NOW } },
      { logger: false, dashboard: false },
    );
    await restarted.ready();
    const after = (await restarted.inject({ method: "GET", url, headers: viewer })).json();
    expect(after.anomalies).toEqual(body.anomalies);
    await post(restarted, deviceHeaders, all.slice(SPIKES.cpu + 1, SPIKES.cpu + 6));
    expect((await t.ctx.db.select().from(alerts).where(eq(alerts.fingerprint, fingerprint)))[0]?.resolved).toBe(false);
    await post(restarted, deviceHeaders, all.slice(SPIKES.cpu + 6));
    const [closed] = await t.ctx.db.select().from(alerts).where(eq(alerts.fingerprint, fingerprint));
    expect(closed).toMatchObject({ status: "resolved", resolvedBy: "system" });
    expect(closed?.resolutionNote).toContain("back within its expected range");
    // The replay raised no alarm twice, and the calm samples none.
    expect(await t.ctx.db.select().from(liveAnomalies).where(eq(liveAnomalies.deviceId, device.deviceId))).toHaveLength(
      2,
    );
    const stored = await t.ctx.db
      .select()
      .from(deviceMetrics)
      .where(and(eq(deviceMetrics.deviceId, device.deviceId)));
    expect(stored).toHaveLength(N);
  });

  it("is read by every signed-in role and refused without a session", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/ai/anomalies/live" }, "viewer");
  });
});
