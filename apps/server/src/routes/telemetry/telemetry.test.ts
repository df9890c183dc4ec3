import { deviceMetrics, deviceStateHistory, devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing.ts";
import { makeDevice } from "../devices/device-factories.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const url = "/api/v1/analytics/device-metrics";
const sample = {
  cpu_percent: 45.5,
  memory_percent: 60,
  disk_percent: 70,
  network_latency_ms: 12,
  transaction_count: 150,
  transaction_volume: 1234.56,
  error_rate: 0.5,
  active_connections: 4,
  queue_depth: 2,
  extra_metrics: { uptime_seconds: 3600, services: { pos_app: "running" } },
};

const rowsOf = (deviceId: string) => t.ctx.db.select().from(deviceMetrics).where(eq(deviceMetrics.deviceId, deviceId));

describe("telemetry ingest", () => {
  it("stores one sample (the original's body) with 201 {success, message} and moves last_seen", async () => {
    const { device, headers } = await makeDevice(t);
    const res = await t.app.inject({
      method: "POST",
      url,
      headers,
      payload: { device_id: device.deviceId, ...sample },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ success: true, message: expect.any(String) });
    const rows = await rowsOf(device.deviceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      cpuPercent: 45.5,
      memoryPercent: 60,
      diskPercent: 70,
      networkLatencyMs: 12,
      transactionCount: 150,
      transactionVolume: 1234.56,
      errorRate: 0.5,
      activeConnections: 4,
      queueDepth: 2,
      extraMetrics: sample.extra_metrics,
    });
    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.deviceId, device.deviceId));
    expect(row?.lastSeen).not.toBeNull();
  });

  it("files a declared whole-number collection interval in its own column, and nothing else", async () => {
    const { device, headers } = await makeDevice(t);
    const t0 = Date.now() - 60_000;
    const declared = [30, "45", "abc", 123_456, 2.5, null, undefined];
    const samples = declared.map((interval, i) => ({
      ...sample,
      timestamp: new Date(t0 + i * 1000).toISOString(),
      extra_metrics: interval === undefined ? { uptime_seconds: 1 } : { collection_interval_seconds: interval },
    }));
    const res = await t.app.inject({ method: "POST", url, headers, payload: { samples } });
    expect(res.statusCode).toBe(201);
    const rows = (await rowsOf(device.deviceId)).sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
    expect(rows.map((r) => r.collectionIntervalS)).toEqual([30, 45, null, null, null, null, null]);
  });

  it("accepts nulls for figures the device lacks", async () => {
    const { device, headers } = await makeDevice(t);
    const res = await t.app.inject({
      method: "POST",
      url,
      headers,
      payload: { device_id: device.deviceId, cpu_percent: 5, memory_percent: null, extra_metrics: null },
    });
    expect(res.statusCode).toBe(201);
    const [row] = await rowsOf(device.deviceId);
    expect(row).toMatchObject({ cpuPercent: 5, memoryPercent: null, extraMetrics: null, queueDepth: null });
  });

  it("stores a batch of up to 1000 samples with their own timestamps, all or nothing", async () => {
    const { device, headers } = await makeDevice(t);
    const base = Date.now() - 3600_000;
    const samples = Array.from({ length: 1000 }, (_, i) => ({
      ...sample,
      transaction_count: i,
      timestamp: new Date(base + i * 1000).toISOString(),
    }));
    const res = await t.app.inject({ method: "POST", url, headers, payload: { samples } });
    expect(res.statusCode).toBe(201);
    expect(res.json().count).toBe(1000);
    const rows = await rowsOf(device.deviceId);
    expect(rows).toHaveLength(1000);
    const sorted = rows.sort((a, b) => a.transactionCount! - b.transactionCount!);
    expect(sorted[999]?.timestamp.toISOString()).toBe(new Date(base + 999_000).toISOString());

    const tooMany = await t.app.inject({ method: "POST", url, headers, payload: { samples: [...samples, sample] } });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors[0].field).toBe("samples");
    const oneBad = await t.app.inject({
      method: "POST",
      url,
      headers,
      payload: { samples: [sample, { ...sample, cpu_percent: 120 }] },
    });
    expect(oneBad.statusCode).toBe(422);
    expect(oneBad.json().errors[0].field).toBe("samples.1.cpu_percent");
    expect(await rowsOf(device.deviceId)).toHaveLength(1000);
  });

  it("concurrent requests are all stored (group commit) before they are acknowledged", async () => {
    const devicesUnderTest = await Promise.all(Array.from({ length: 5 }, () => makeDevice(t)));
    const results = await Promise.all(
      devicesUnderTest.flatMap((d) =>
        Array.from({ length: 20 }, (_, i) =>
          t.app.inject({ method: "POST", url, headers: d.headers, payload: { ...sample, queue_depth: i } }),
        ),
      ),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    for (const d of devicesUnderTest) expect(await rowsOf(d.device.deviceId)).toHaveLength(20);
  });

  it("brings an offline device back online with one state-history row", async () => {
    const { device, headers } = await makeDevice(t);
    await t.ctx.db
      .update(devices)
      .set({ status: "offline", lastSeen: new Date(Date.now() - 3600_000) })
      .where(eq(devices.id, device.id));
    expect((await t.app.inject({ method: "POST", url, headers, payload: sample })).statusCode).toBe(201);
    expect((await t.app.inject({ method: "POST", url, headers, payload: sample })).statusCode).toBe(201);
    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.id, device.id));
    expect(row?.status).toBe("online");
    const history = await t.ctx.db
      .select()
      .from(deviceStateHistory)
      .where(eq(deviceStateHistory.deviceId, device.deviceId));
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ previousState: "offline", newState: "online", changedBy: "system" });
  });

  it.each([
    [{ cpu_percent: -1 }, "cpu_percent"],
    [{ memory_percent: 100.5 }, "memory_percent"],
    [{ disk_percent: "full" }, "disk_percent"],
    [{ network_latency_ms: -5 }, "network_latency_ms"],
    [{ transaction_count: 1.5 }, "transaction_count"],
    [{ transaction_volume: -1 }, "transaction_volume"],
    [{ error_rate: 101 }, "error_rate"],
    [{ active_connections: -1 }, "active_connections"],
    [{ queue_depth: "deep" }, "queue_depth"],
    [{ extra_metrics: [1, 2] }, "extra_metrics"],
    [{ timestamp: "yesterday" }, "timestamp"],
    [{ timestamp: "2999-01-01T00:00:00Z" }, "timestamp"],
    [{ samples: [] }, "samples"],
    [{ samples: "x" }, "samples"],
  ])("422 naming the field for %j", async (payload, field) => {
    const { device, headers } = await makeDevice(t);
    const res = await t.app.inject({ method: "POST", url, headers, payload });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe(field);
    expect(await rowsOf(device.deviceId)).toHaveLength(0);
  });

  it("400s on a malformed JSON body", async () => {
    const { headers } = await makeDevice(t);
    const res = await t.app.inject({
      method: "POST",
      url,
      headers: { ...headers, "content-type": "application/json" },
      payload: "{not json",
    });
    expect(res.statusCode).toBe(400);
  });

  it("403 when the body names another device; 401 without, with a wrong or another device's key", async () => {
    const a = await makeDevice(t);
    const b = await makeDevice(t);
    const other = await t.app.inject({
      method: "POST",
      url,
      headers: a.headers,
      payload: { ...sample, device_id: b.device.deviceId },
    });
    expect(other.statusCode).toBe(403);
    const otherInBatch = await t.app.inject({
      method: "POST",
      url,
      headers: a.headers,
      payload: { samples: [sample, { ...sample, device_id: b.device.deviceId }] },
    });
    expect(otherInBatch.statusCode).toBe(403);
    const otherAtTop = await t.app.inject({
      method: "POST",
      url,
      headers: a.headers,
      payload: { device_id: b.device.deviceId, samples: [sample, sample] },
    });
    expect(otherAtTop.statusCode, otherAtTop.body).toBe(403);
    for (const headers of [
      {},
      { "x-device-id": a.device.deviceId, "x-api-key": b.apiKey },
      { "x-device-id": a.device.deviceId, "x-api-key": "hpk_nope" },
    ]) {
      const res = await t.app.inject({ method: "POST", url, headers, payload: sample });
      expect(res.statusCode).toBe(401);
    }
    expect(await rowsOf(a.device.deviceId)).toHaveLength(0);
  });

  it("a 10 000-level or oversized extra_metrics is 422 naming the field, for its sender only", async () => {
    const devices = await Promise.all(Array.from({ length: 5 }, () => makeDevice(t)));
    const [bad, ...good] = devices as [
      Awaited<ReturnType<typeof makeDevice>>,
      ...Awaited<ReturnType<typeof makeDevice>>[],
    ];
    // Built as text: JSON.stringify itself cannot serialise 10 000 levels (that is the bug).
    const deep = `${JSON.stringify(sample).slice(0, -1)},"extra_metrics":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`;
    const [deepRes, bigRes, ...goodRes] = await Promise.all([
      t.app.inject({
        method: "POST",
        url,
        headers: { ...bad.headers, "content-type": "application/json" },
        payload: deep,
      }),
      t.app.inject({
        method: "POST",
        url,
        headers: bad.headers,
        payload: { samples: [{ ...sample, extra_metrics: { blob: "x".repeat(100_000) } }] },
      }),
      ...good.map((d) => t.app.inject({ method: "POST", url, headers: d.headers, payload: sample })),
    ]);
    expect(deepRes?.statusCode, deepRes?.body).toBe(422);
    expect(deepRes?.json().detail).toMatch(/^extra_metrics: must be nested at most 20 levels/);
    expect(bigRes?.statusCode).toBe(422);
    expect(bigRes?.json().detail).toMatch(/^samples\.0\.extra_metrics: must be at most 64 KB/);
    expect(goodRes.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(await rowsOf(bad.device.deviceId)).toHaveLength(0);
  });
});
