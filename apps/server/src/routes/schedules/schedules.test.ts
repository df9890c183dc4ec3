import { auditLogs, siteOperatingSchedules } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeSite } from "../devices/device-factories.ts";

let t: TestApp;
let operator: Record<string, string>;
let viewer: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  operator = (await loginAs(t, "operator")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t.close());

const monday = {
  day_of_week: 0,
  open_time: "08:00",
  close_time: "22:00",
  peak_hours_start: "12:00",
  peak_hours_end: "14:00",
  expected_transaction_volume: 500,
};
const week = [
  monday,
  { ...monday, day_of_week: 1, expected_transaction_volume: 450 },
  { ...monday, day_of_week: 2, expected_transaction_volume: 420, is_maintenance_window: true },
  {
    day_of_week: 3,
    open_time: "08:00",
    close_time: "23:00",
    peak_hours_start: "18:00",
    peak_hours_end: "21:00",
    expected_transaction_volume: 550,
  },
  {
    day_of_week: 4,
    open_time: "08:00",
    close_time: "23:30",
    peak_hours_start: "17:00",
    peak_hours_end: "21:00",
    expected_transaction_volume: 700,
    notes: "busiest day",
  },
  {
    day_of_week: 5,
    open_time: "09:00",
    close_time: "23:00",
    peak_hours_start: "11:00",
    peak_hours_end: "17:00",
    expected_transaction_volume: 650,
  },
  {
    day_of_week: 6,
    open_time: "10:00",
    close_time: "18:00",
    peak_hours_start: "13:00",
    peak_hours_end: "15:00",
    expected_transaction_volume: 200,
    is_maintenance_window: true,
  },
];

describe("site operating schedules", () => {
  it("creates, reads, replaces, updates and deletes days, with an audit row for every change", async () => {
    const site = await makeSite(t);
    const base = `/api/v1/sites/${site.siteId}/schedules`;
    const created = await t.app.inject({ method: "POST", url: base, headers: operator, payload: monday });
    expect(created.statusCode).toBe(201);
    expect(created.json().data).toMatchObject({
      day_of_week: 0,
      day_name: "Monday",
      is_closed: false,
      expected_transaction_volume: 500,
    });
    expect(created.json().data.open_time).toMatch(/^08:00/);
    expect((await t.app.inject({ method: "POST", url: base, headers: operator, payload: monday })).statusCode).toBe(
      409,
    );

    const replaced = await t.app.inject({ method: "PUT", url: base, headers: operator, payload: { schedules: week } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().count).toBe(7);
    const list = await t.app.inject({ method: "GET", url: base, headers: viewer });
    expect(list.json().schedules.map((s: { day_of_week: number }) => s.day_of_week)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(list.json().schedules[4]).toMatchObject({
      day_name: "Friday",
      expected_transaction_volume: 700,
      notes: "busiest day",
    });
    expect(
      list.json().schedules.filter((s: { is_maintenance_window: boolean }) => s.is_maintenance_window),
    ).toHaveLength(2);

    const sunday = await t.app.inject({
      method: "PUT",
      url: `${base}/6`,
      headers: operator,
      payload: { is_closed: true, is_maintenance_window: true },
    });
    expect(sunday.statusCode).toBe(200);
    expect(sunday.json().data).toMatchObject({ is_closed: true, open_time: null, close_time: null });
    expect((await t.app.inject({ method: "GET", url: `${base}/6`, headers: viewer })).json().data.is_closed).toBe(true);

    expect((await t.app.inject({ method: "DELETE", url: `${base}/5`, headers: operator })).statusCode).toBe(200);
    expect((await t.app.inject({ method: "GET", url: `${base}/5`, headers: viewer })).statusCode).toBe(404);
    const rows = await t.ctx.db
      .select()
      .from(siteOperatingSchedules)
      .where(eq(siteOperatingSchedules.siteId, site.siteId));
    expect(rows).toHaveLength(6);

    const audits = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.siteId, site.id));
    const kinds = audits.map((a) => a.eventType);
    expect(kinds.filter((k) => k === "schedule_created")).toHaveLength(7);
    expect(kinds.filter((k) => k === "schedule_updated")).toHaveLength(2); // Monday by the week, Sunday by PUT
    expect(kinds.filter((k) => k === "schedule_deleted")).toHaveLength(1);
    const sundayAudit = audits.find(
      (a) => a.eventType === "schedule_updated" && (a.newValues as { day_of_week: number }).day_of_week === 6,
    );
    expect(sundayAudit?.oldValues).toMatchObject({ is_closed: false });
    expect(sundayAudit?.newValues).toMatchObject({ is_closed: true });
  });

  it.each([
    [{ ...monday, day_of_week: 7 }, "day_of_week"],
    [{ ...monday, open_time: "8am" }, "open_time"],
    [{ ...monday, close_time: "25:00" }, "close_time"],
    [{ ...monday, close_time: "07:00" }, "close_time"],
    [{ ...monday, open_time: undefined }, "open_time"],
    [{ ...monday, peak_hours_start: "07:00" }, "peak_hours_start"],
    [{ ...monday, peak_hours_end: "23:00" }, "peak_hours_end"],
    [{ ...monday, peak_hours_end: "11:00" }, "peak_hours_end"],
    [{ ...monday, peak_hours_end: undefined }, "peak_hours_end"],
    [{ ...monday, expected_transaction_volume: -1 }, "expected_transaction_volume"],
    [{ day_of_week: 0, is_closed: true, open_time: "08:00" }, "open_time"],
  ])("422 naming the field for %j", async (payload, field) => {
    const site = await makeSite(t);
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/sites/${site.siteId}/schedules`,
      headers: operator,
      payload,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe(field);
    expect(
      await t.ctx.db.select().from(siteOperatingSchedules).where(eq(siteOperatingSchedules.siteId, site.siteId)),
    ).toHaveLength(0);
  });

  it("a bad day in a week replaces nothing and names the item", async () => {
    const site = await makeSite(t);
    const base = `/api/v1/sites/${site.siteId}/schedules`;
    await t.app.inject({ method: "PUT", url: base, headers: operator, payload: { schedules: week } });
    const bad = await t.app.inject({
      method: "PUT",
      url: base,
      headers: operator,
      payload: { schedules: [monday, { ...monday, day_of_week: 1, close_time: "06:00" }] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("schedules.1.close_time");
    const dup = await t.app.inject({
      method: "PUT",
      url: base,
      headers: operator,
      payload: { schedules: [monday, monday] },
    });
    expect(dup.statusCode).toBe(422);
    expect(dup.json().errors[0].field).toBe("schedules.1.day_of_week");
    expect(
      await t.ctx.db.select().from(siteOperatingSchedules).where(eq(siteOperatingSchedules.siteId, site.siteId)),
    ).toHaveLength(7);
  });

  it("404 for an unknown site; guards by role", async () => {
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/sites/nope/schedules", headers: viewer })).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: "POST", url: "/api/v1/sites/nope/schedules", headers: operator, payload: monday }))
        .statusCode,
    ).toBe(404);
    const site = await makeSite(t);
    const base = `/api/v1/sites/${site.siteId}/schedules`;
    await expectRequiresRole(t, { method: "GET", url: base }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: `${base}/0` }, "viewer");
    await expectRequiresRole(t, { method: "POST", url: base, payload: monday }, "operator");
    await expectRequiresRole(t, { method: "PUT", url: base, payload: { schedules: [] } }, "operator");
    await expectRequiresRole(t, { method: "PUT", url: `${base}/0`, payload: monday }, "operator");
    await expectRequiresRole(t, { method: "DELETE", url: `${base}/0` }, "operator");
  });
});
