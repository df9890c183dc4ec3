import { auditLogs, errorLogs, userActivities } from "@homepot/db";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "POST", url: `/api/v1/analytics${url}`, payload: payload as object, headers });

describe("POST /analytics/user-activity", () => {
  it("needs a signed-in user", async () => {
    const res = await post("/user-activity", { activity_type: "page_view" });
    expect(res.statusCode).toBe(401);
  });

  it("stores one event attributed to the token's user, never the body's user_id; metadata ≙ extra_data", async () => {
    const viewer = await loginAs(t, "viewer");
    const res = await post(
      "/user-activity",
      {
        activity_type: "page_view",
        page_url: "/dashboard",
        user_id: "999999",
        metadata: { action: "viewed_job_list" },
        duration_ms: 3500,
        session_id: "s-1",
      },
      viewer.headers,
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ success: true, data: { count: 1 } });
    const [row] = await t.ctx.db.select().from(userActivities).where(eq(userActivities.id, body.data.ids[0]));
    expect(row).toMatchObject({
      userId: String(viewer.user.id),
      activityType: "page_view",
      pageUrl: "/dashboard",
      sessionId: "s-1",
      durationMs: 3500,
      extraData: { action: "viewed_job_list" },
    });
  });

  it("stores a batch ({events}) and a bare array, keeping session ids; future timestamps are clamped to now", async () => {
    const op = await loginAs(t, "operator");
    const future = new Date(Date.now() + 3600_000).toISOString();
    const past = "2026-01-02T03:04:05.000Z";
    const res = await post(
      "/user-activity",
      {
        events: [
          { activity_type: "click", element_id: "btn-save", session_id: "sess-9", timestamp: past },
          {
            activity_type: "search",
            search_query: "pos-terminal",
            session_id: "sess-9",
            extra_data: { results: 3 },
            timestamp: future,
          },
        ],
      },
      op.headers,
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().data.count).toBe(2);
    const rows = await t.ctx.db
      .select()
      .from(userActivities)
      .where(eq(userActivities.sessionId, "sess-9"))
      .orderBy(userActivities.id);
    expect(rows.map((r) => r.activityType)).toEqual(["click", "search"]);
    expect(rows.every((r) => r.userId === String(op.user.id))).toBe(true);
    expect(rows[0]?.timestamp.toISOString()).toBe(past);
    expect(rows[1]!.timestamp.getTime()).toBeLessThanOrEqual(Date.now());
    expect(rows[1]?.extraData).toEqual({ results: 3 });

    const arr = await post("/user-activity", [{ activity_type: "form_submit", session_id: "sess-arr" }], op.headers);
    expect(arr.statusCode).toBe(201);
    const [one] = await t.ctx.db.select().from(userActivities).where(eq(userActivities.sessionId, "sess-arr"));
    expect(one?.activityType).toBe("form_submit");
  });

  it("rejects a bad event with 422 naming the field, storing nothing of the batch", async () => {
    const viewer = await loginAs(t, "viewer");
    const before = await t.ctx.db.select().from(userActivities);
    const res = await post(
      "/user-activity",
      { events: [{ activity_type: "click", session_id: "bad-batch" }, { page_url: "/x" }] },
      viewer.headers,
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/events\.1\.activity_type/);
    const after = await t.ctx.db.select().from(userActivities);
    expect(after.length).toBe(before.length);
    const tooLong = await post("/user-activity", { activity_type: "click", duration_ms: -5 }, viewer.headers);
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().detail).toMatch(/duration_ms/);
  });
});

describe("POST /analytics/errors and /analytics/error", () => {
  it("stores a dashboard error as category frontend, attributed to the signed-in user", async () => {
    const viewer = await loginAs(t, "viewer");
    const res = await post(
      "/errors",
      {
        message: "TypeError: x is undefined",
        stack: "at App (app.tsx:1)",
        page_url: "/devices",
        severity: "warning",
        category: "database",
        metadata: { component: "DeviceTable" },
      },
      viewer.headers,
    );
    expect(res.statusCode).toBe(201);
    const id = res.json().data.ids[0];
    const [row] = await t.ctx.db.select().from(errorLogs).where(eq(errorLogs.id, id));
    expect(row).toMatchObject({
      category: "frontend",
      severity: "warning",
      errorCode: "FRONTEND_001",
      errorMessage: "TypeError: x is undefined",
      stackTrace: "at App (app.tsx:1)",
      endpoint: "/devices",
      userId: String(viewer.user.id),
      resolved: false,
    });
    expect(row?.context).toMatchObject({ component: "DeviceTable", page_url: "/devices", source: "dashboard" });
  });

  it("the singular alias works without a token (login page errors) and redacts secrets", async () => {
    const res = await post("/error", {
      error_message: "login failed with Bearer abc.def.ghi",
      context: { password: "hunter2" },
    });
    expect(res.statusCode).toBe(201);
    const [row] = await t.ctx.db.select().from(errorLogs).where(eq(errorLogs.id, res.json().data.ids[0]));
    expect(row?.userId).toBeNull();
    expect(row?.errorMessage).not.toContain("abc.def.ghi");
    expect(JSON.stringify(row?.context)).not.toContain("hunter2");
  });

  it("takes a batch and rejects an entry without a message (422 naming it)", async () => {
    const ok = await post("/errors", { errors: [{ message: "a" }, { error_message: "b", severity: "critical" }] });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data.count).toBe(2);
    const bad = await post("/errors", { errors: [{ message: "a" }, { severity: "info" }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toMatch(/errors\.1\.error_message/);
    const badSeverity = await post("/errors", { message: "x", severity: "apocalyptic" });
    expect(badSeverity.statusCode).toBe(422);
    expect(badSeverity.json().detail).toMatch(/severity/);
  });
});

describe("PATCH /analytics/errors/:id", () => {
  it("needs an operator", async () => {
    await expectRequiresRole(
      t,
      { method: "PATCH", url: "/api/v1/analytics/errors/1", payload: { resolved: true } },
      "operator",
    );
  });

  it("resolves with who and when, audits it, and can reopen", async () => {
    const created = await post("/errors", { message: "to resolve" });
    const id = created.json().data.ids[0] as number;
    const op = await loginAs(t, "operator");
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/analytics/errors/${id}`,
      payload: { resolved: true, note: "fixed in 1.2" },
      headers: op.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ id, resolved: true, resolved_by: String(op.user.id) });
    expect(res.json().data.resolved_at).toMatch(/^\d{4}-/);
    const [row] = await t.ctx.db.select().from(errorLogs).where(eq(errorLogs.id, id));
    expect(row?.resolved).toBe(true);
    expect(row?.resolvedBy).toBe(String(op.user.id));
    const [audit] = await t.ctx.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.eventType, "error_resolved"))
      .orderBy(desc(auditLogs.id))
      .limit(1);
    expect(audit?.userId).toBe(op.user.id);
    expect(audit?.eventMetadata).toMatchObject({ error_log_id: id, note: "fixed in 1.2" });

    const noBody = await t.app.inject({ method: "PATCH", url: `/api/v1/analytics/errors/${id}`, headers: op.headers });
    expect(noBody.statusCode).toBe(200);

    const reopen = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/analytics/errors/${id}`,
      payload: { resolved: false },
      headers: op.headers,
    });
    expect(reopen.json().data).toMatchObject({ resolved: false, resolved_at: null, resolved_by: null });
  });

  it("404 for an unknown id, 400 naming a bad id", async () => {
    const op = await loginAs(t, "operator");
    const missing = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/analytics/errors/99999",
      payload: {},
      headers: op.headers,
    });
    expect(missing.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/analytics/errors/abc",
      payload: {},
      headers: op.headers,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/id/);
  });
});

describe("secrets and limits at intake", () => {
  it("strips ?token= and similar from stored page URLs and redacts password=… in error texts", async () => {
    const viewer = await loginAs(t, "viewer");
    const activity = await post(
      "/user-activity",
      { activity_type: "page_view", page_url: "/devices?token=tok-123&site=s1&api_key=k-456#x" },
      viewer.headers,
    );
    expect(activity.statusCode).toBe(201);
    const [row] = await t.ctx.db
      .select()
      .from(userActivities)
      .where(eq(userActivities.id, activity.json().data.ids[0]));
    expect(row?.pageUrl).toBe("/devices?site=s1#x");
    const error = await post("/errors", {
      error_message: "login failed: password=hunter2-secret",
      page_url: "https://homepot.example/reset?password_reset_token=r-789&step=2",
    });
    expect(error.statusCode).toBe(201);
    const [logged] = await t.ctx.db.select().from(errorLogs).where(eq(errorLogs.id, error.json().data.ids[0]));
    const stored = JSON.stringify(logged);
    for (const secret of ["tok-123", "k-456", "hunter2-secret", "r-789"]) expect(stored).not.toContain(secret);
    expect(logged?.endpoint).toBe("https://homepot.example/reset?step=2");
  });

  it("refuses a date that does not exist and over-deep or oversized extra_data, naming the field", async () => {
    const viewer = await loginAs(t, "viewer");
    const bad = await post("/user-activity", { activity_type: "x", timestamp: "2026-02-30T10:00:00Z" }, viewer.headers);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("events.0.timestamp");
    const big = await post(
      "/user-activity",
      { activity_type: "x", extra_data: { s: "x".repeat(70_000) } },
      viewer.headers,
    );
    expect(big.statusCode).toBe(422);
    expect(big.json().errors[0].field).toBe("events.0.extra_data");
    const yearZero = await t.app.inject({
      method: "GET",
      url: "/api/v1/analytics/errors?start_date=0000-01-01",
      headers: (await loginAs(t, "admin")).headers,
    });
    expect(yearZero.statusCode).toBe(400);
    expect(yearZero.json().detail).toMatch(/^querystring start_date: must be an existing ISO date/);
  });

  it("caps anonymous error reports per source and hour (429 past the cap), without touching other sources", async () => {
    const capped = await createTestApp({
      env: { HOMEPOT_ERROR_INTAKE_ROWS_PER_HOUR: "3", HOMEPOT_ERROR_INTAKE_MB_PER_HOUR: "0.05" },
    });
    try {
      const send = (payload: unknown, remoteAddress = "203.0.113.7") =>
        capped.app.inject({
          method: "POST",
          url: "/api/v1/analytics/errors",
          payload: payload as object,
          remoteAddress,
        });
      expect((await send({ errors: [{ error_message: "a" }, { error_message: "b" }] })).statusCode).toBe(201);
      const third = await send({ errors: [{ error_message: "c" }, { error_message: "d" }] });
      expect(third.statusCode).toBe(429);
      expect(Number(third.headers["retry-after"])).toBeGreaterThan(0);
      expect((await send({ error_message: "c" })).statusCode).toBe(201);
      expect((await send({ error_message: "from elsewhere" }, "198.51.100.9")).statusCode).toBe(201);
      // Bytes: 50 KB per hour for this address, reached by the second report of 30 KB.
      const big = { errors: [{ error_message: "x".repeat(10_000), stack_trace: "y".repeat(20_000) }] };
      expect((await send(big, "192.0.2.1")).statusCode).toBe(201);
      expect((await send(big, "192.0.2.1")).statusCode).toBe(429);
      const stored = await capped.ctx.db.select().from(errorLogs);
      expect(stored.filter((r) => r.category === "frontend")).toHaveLength(3 + 1 + 1);
    } finally {
      await capped.close();
    }
  }, 120_000); // a second app of its own (the caps are config): slow to build on PGlite
});
