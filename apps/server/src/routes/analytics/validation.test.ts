import { deviceMetrics, devices, sites } from "@homepot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

const sampleAt = new Date("2026-05-01T12:00:00Z");
let now = new Date(sampleAt.getTime() + 60_000);
let t: TestApp;
let admin: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ clock: { now: () => now } });
  admin = (await loginAs(t, "admin")).headers;
  await t.ctx.db.insert(sites).values({ siteId: "site-001", name: "Main", createdAt: sampleAt, updatedAt: sampleAt });
  await t.ctx.db
    .insert(devices)
    .values({ deviceId: "pos-terminal-001", name: "POS", deviceType: "pos_terminal", siteId: "site-001" });
  await t.ctx.db
    .insert(deviceMetrics)
    .values({ deviceId: "pos-terminal-001", timestamp: sampleAt, cpuPercent: 10, memoryPercent: 20 });
});
afterAll(async () => t.close());

const get = (q = "") => t.app.inject({ method: "GET", url: `/api/v1/analytics/validation${q}`, headers: admin });

describe("GET /analytics/validation", () => {
  it("needs an admin", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/analytics/validation" }, "admin");
  });

  it("reports every table; empty ones are not ready but say 'no rows yet', not failed", async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data.tables).toHaveLength(14);
    expect(data.ready).toBe(false);
    const schedules = data.tables.find((x: { table: string }) => x.table === "site_operating_schedules");
    expect(schedules).toMatchObject({
      ready: false,
      status: "no_rows_yet",
      row_count: 0,
      reasons: ["no rows collected yet"],
    });
    const metrics = data.tables.find((x: { table: string }) => x.table === "device_metrics");
    expect(metrics).toMatchObject({ ready: true, status: "ready" });
    expect(data.summary.no_rows_yet).toBeGreaterThan(0);
    expect(data.summary.no_rows_yet).toBeLessThan(data.summary.not_ready + 1);
  });

  it("device_metrics: fresh within 5 minutes is ready, older is a collection gap", async () => {
    const fresh = (await get("?tables=device_metrics")).json().data.tables[0];
    expect(fresh).toMatchObject({ table: "device_metrics", ready: true, row_count: 1 });
    expect(fresh.freshness).toMatchObject({ newest: sampleAt.toISOString(), age_s: 60, max_age_s: 300, stale: false });

    now = new Date(sampleAt.getTime() + 10 * 60_000);
    const stale = (await get("?tables=device_metrics,sites")).json().data;
    expect(stale.tables.map((x: { table: string }) => x.table)).toEqual(["device_metrics", "sites"]);
    expect(stale.tables[0]).toMatchObject({ ready: false, status: "not_ready" });
    expect(stale.tables[0].freshness.stale).toBe(true);
    expect(stale.tables[0].reasons.join(" ")).toMatch(/collection gap: newest row is 10 min old/);
    expect(stale.tables[1].ready).toBe(true);
  });

  it("400 naming tables for an unknown table", async () => {
    const res = await get("?tables=device_metrics,passwords");
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/^querystring tables/);
  });
});
