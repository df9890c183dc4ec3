import type { DeliveryEventValue } from "@homepot/contracts/notifications";
import { systemContext } from "@homepot/core";
import { raiseAlert } from "@homepot/core/alerts/raise-alert";
import { alerts, auditLogs, type Database, notificationDeliveries, openDatabase } from "@homepot/db";
import { and, eq, inArray, like } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app.ts";
import { createTestApp, loginAs, type TestApp, testConfig } from "../../testing.ts";
import { makeDevice } from "../devices/device-factories.ts";

/**
 * Two server instances on one database (on PostgreSQL each with its own connection pool, so their transactions
 * really run at once): the same condition seen by both opens one alert, notified once, and resolves once.
 */
const clock = { now: () => new Date("2026-03-02T10:00:00Z") };
let t: TestApp;
let second: FastifyInstance;
let secondDb: Database | undefined;

beforeAll(async () => {
  t = await createTestApp({ clock });
  secondDb = t.database.url ? await openDatabase({ databaseUrl: t.database.url, poolSize: 5 }) : undefined;
  second = await buildApp(
    { config: testConfig(), database: secondDb ?? t.database, clock },
    { logger: false, dashboard: false },
  );
  await second.ready();
  const admin = (await loginAs(t, "admin")).headers;
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/alerts/channels",
    headers: admin,
    payload: { name: "ops", type: "webhook", secrets: { url: "http://127.0.0.1:9/hook" }, min_severity: "info" },
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(async () => {
  await second?.close();
  await secondDb?.close();
  await t?.close();
});

const deliveries = async (ids: number[], event: DeliveryEventValue) =>
  t.ctx.db
    .select()
    .from(notificationDeliveries)
    .where(and(inArray(notificationDeliveries.alertId, ids), eq(notificationDeliveries.event, event)));

describe("alerts with two server instances on one database", () => {
  it("raiseAlert from both at once opens each condition once and notifies once", async () => {
    const ctxA = systemContext(t.database.db, "a", { clock });
    const ctxB = systemContext((secondDb ?? t.database).db, "b", { clock });
    const input = (i: number) => ({
      fingerprint: `race:${i}`,
      source: "device" as const,
      kind: "device_reported",
      severity: "critical",
      title: `race ${i}`,
    });
    const n = 20;
    await Promise.all(
      Array.from({ length: n }, (_, i) => [raiseAlert(ctxA, input(i)), raiseAlert(ctxB, input(i))]).flat(),
    );
    const rows = await t.ctx.db.select().from(alerts).where(like(alerts.fingerprint, "race:%"));
    expect(rows).toHaveLength(n);
    expect(rows.every((r) => r.occurrences === 2)).toBe(true);
    expect(
      await deliveries(
        rows.map((r) => r.id),
        "opened",
      ),
    ).toHaveLength(n);
  });

  it("both evaluators seeing a device go into error and recover: one alert, one open and one resolve", async () => {
    const devices = await Promise.all(Array.from({ length: 5 }, () => makeDevice(t)));
    const ids = devices.map((d) => d.device.deviceId);
    const at = clock.now();
    const both = async (status: string) => {
      for (const deviceId of ids)
        for (const engine of [t.app.alerts, second.alerts])
          engine.emit({ kind: "status", deviceId, status, at, reason: "card reader gone" });
      await Promise.all([t.app.alerts.idle(), second.alerts.idle()]);
    };
    await both("error");
    let rows = await t.ctx.db.select().from(alerts).where(inArray(alerts.deviceId, ids));
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((r) => r.status === "open")).toBe(true);
    const alertIds = rows.map((r) => r.id);
    expect(await deliveries(alertIds, "opened")).toHaveLength(ids.length);
    await both("online");
    rows = await t.ctx.db.select().from(alerts).where(inArray(alerts.deviceId, ids));
    expect(rows.every((r) => r.status === "resolved")).toBe(true);
    expect(await deliveries(alertIds, "resolved")).toHaveLength(ids.length);
    const resolvedAudits = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "alert_resolved"));
    expect(
      resolvedAudits.filter((a) => alertIds.includes((a.eventMetadata as { alert_id: number }).alert_id)),
    ).toHaveLength(ids.length);
  });
});
