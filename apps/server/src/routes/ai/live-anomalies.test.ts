import { LiveAnomalyDetectors } from "@homepot/core/insights/live-anomalies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice } from "../devices/device-factories.ts";

const NOW = new Date(Date.UTC(2026, 0, 5, 12));
const STEP = 30_000;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock: { now: () => NOW } });
});
afterAll(async () => t.close());

/** 400 samples 30 s apart ending at NOW: CPU near 30 %, the last one at 95 %; memory steady throughout. */
function samples() {
  return Array.from({ length: 400 }, (_, i) => ({
    timestamp: new Date(NOW.getTime() - (399 - i) * STEP).toISOString(),
    cpu_percent: i === 399 ? 95 : 30 + 2 * Math.sin(i * 12.9898),
    memory_percent: 50 + Math.sin(i * 7.1),
  }));
}

describe("GET /ai/anomalies/live: the NAB-scored streaming detector on telemetry as it arrives", () => {
  it("scores each sample on arrival, names the metric, value, expected range and score, and rebuilds after a restart", async () => {
    const { device, headers: deviceHeaders } = await makeDevice(t);
    const viewer = (await loginAs(t, "viewer")).headers;
    const url = `/api/v1/ai/anomalies/live?device_id=${device.deviceId}`;
    expect((await t.app.inject({ method: "GET", url, headers: viewer })).json()).toMatchObject({ count: 0 });

    const all = samples();
    // Two requests: the detector keeps its state between them (the spike is in the second).
    for (const part of [all.slice(0, 350), all.slice(350)]) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/analytics/device-metrics",
        headers: deviceHeaders,
        payload: { samples: part },
      });
      expect(res.statusCode).toBe(201);
      await t.app.alerts.idle();
    }
    const res = await t.app.inject({ method: "GET", url, headers: viewer });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ success: true, count: 1 });
    const [a] = body.anomalies;
    expect(a).toMatchObject({ device_id: device.deviceId, metric: "cpu_percent", value: 95, at: NOW.toISOString() });
    expect(a.expected).toBeGreaterThan(27);
    expect(a.expected).toBeLessThan(33);
    expect(a.expected_high).toBeLessThan(95);
    expect(a.expected_low).toBeLessThan(a.expected);
    expect(a.score).toBeGreaterThanOrEqual(0.45);
    // Fleet-wide list holds it too; a window that ends before it does not.
    const fleet = (await t.app.inject({ method: "GET", url: "/api/v1/ai/anomalies/live", headers: viewer })).json();
    expect(fleet.anomalies.map((x: { device_id: string }) => x.device_id)).toContain(device.deviceId);

    // A restart: fresh detectors rebuild the device's state from its stored rows on its next sample.
    const fresh = new LiveAnomalyDetectors();
    const next = await fresh.observe(t.ctx, device.deviceId, new Date(NOW.getTime() + STEP), {
      cpu_percent: 30,
      memory_percent: 50,
    });
    expect(next).toEqual([]);
    expect(fresh.list({ deviceId: device.deviceId })).toEqual(body.anomalies);
    // Time only moves forward: a sample older than the last one is not scored.
    expect(await fresh.observe(t.ctx, device.deviceId, new Date(NOW.getTime() - STEP), { cpu_percent: 99 })).toEqual(
      [],
    );
  });

  it("is read by every signed-in role and refused without a session", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/ai/anomalies/live" }, "viewer");
  });
});
