import { makeDevices, makeSite } from "@homepot/core/jobs/fake-fleet.testing";
import { auditLogs, configurationHistory, jobOutcomes, jobs, siteOperatingSchedules } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

let t: TestApp;
let operator: Awaited<ReturnType<typeof loginAs>>;
let viewer: Awaited<ReturnType<typeof loginAs>>;

beforeAll(async () => {
  t = await createTestApp();
  operator = await loginAs(t, "operator");
  viewer = await loginAs(t, "viewer");
  await makeSite(t.database.db, "site-001");
  await makeDevices(t.database.db, "site-001", 3);
  await makeSite(t.database.db, "site-002", { timezone: "Europe/Berlin" });
  await makeDevices(t.database.db, "site-002", 2);
});
afterAll(async () => t.close());

const post = (url: string, payload: unknown, headers = operator.headers) =>
  t.app.inject({ method: "POST", url: `/api/v1${url}`, payload: payload as object, headers });

describe("POST /jobs", () => {
  it("creates a pending site config job, writes site configuration_history and audits it", async () => {
    const res = await post("/jobs", {
      action: "Update POS payment config",
      site_id: "site-001",
      priority: "high",
      config_url: "https://cfg.example.com/pay-2.json",
      config_version: "2.0.0",
      rollout: { batches: [1, "50%"], pause_s: 5, error_threshold: 0.3 },
      rollback_on_degradation: true,
    });
    expect(res.statusCode).toBe(201);
    const job = res.json().data;
    expect(job.job_id).toMatch(/^job-[0-9a-f]{8}$/);
    expect(job).toMatchObject({
      status: "pending",
      job_type: "config_update",
      priority: "high",
      site_id: "site-001",
      segment: "pos-terminals",
      config_version: "2.0.0",
      rollout: { batches: [1, "50%"], pause_s: 5, error_threshold: 0.3 },
      rollback_on_degradation: true,
      created_by: operator.user.id,
    });
    const [history] = await t.database.db
      .select()
      .from(configurationHistory)
      .where(eq(configurationHistory.jobId, job.job_id));
    expect(history).toMatchObject({
      entityType: "site",
      entityId: "site-001",
      changeType: "manual",
      changedBy: String(operator.user.id),
      parameterName: "config_version",
    });
    expect(history?.oldValue).toMatchObject({ config_versions: ["1.0.0"], device_count: 3 });
    expect(history?.newValue).toMatchObject({
      config_version: "2.0.0",
      config_url: "https://cfg.example.com/pay-2.json",
    });
    const [row] = await t.database.db.select().from(jobs).where(eq(jobs.jobId, job.job_id));
    const audits = await t.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.jobId, row?.id ?? -1), eq(auditLogs.eventType, "job_created")));
    expect(audits).toHaveLength(1);
    expect(audits[0]?.userId).toBe(operator.user.id);
  });

  it("targets explicit devices and schedules at a time", async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await post("/jobs", {
      action: "Restart",
      job_type: "restart",
      device_ids: ["site-001-pos-01", "site-001-pos-02"],
      schedule: { at },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({
      device_ids: ["site-001-pos-01", "site-001-pos-02"],
      site_id: null,
      segment: null,
      scheduled_at: at,
    });
  });

  it("schedules into the site's next maintenance window (after closing, site-local time)", async () => {
    for (let day = 0; day < 7; day += 1) {
      await t.database.db.insert(siteOperatingSchedules).values({
        siteId: "site-002",
        dayOfWeek: day,
        openTime: "08:00:00",
        closeTime: "22:00:00",
        isMaintenanceWindow: day === 2, // Wednesday
      });
    }
    const res = await post("/jobs", {
      action: "Firmware 2.1",
      job_type: "firmware_update",
      site_id: "site-002",
      payload: { firmware_version: "2.1" },
      schedule: { next_maintenance_window: true },
    });
    expect(res.statusCode).toBe(201);
    const at = new Date(res.json().data.scheduled_at);
    expect(at.getTime()).toBeGreaterThan(Date.now());
    expect(at.getTime() - Date.now()).toBeLessThanOrEqual(8 * 86_400_000);
    const local = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(at);
    expect(local).toBe("Wed 22:00");
  });

  it("falls back to the insights' best window when the site flags no maintenance window", async () => {
    const res = await post("/jobs", {
      action: "Restart",
      job_type: "restart",
      site_id: "site-001",
      schedule: { next_maintenance_window: true },
    });
    expect(res.statusCode).toBe(201);
    const at = new Date(res.json().data.scheduled_at);
    expect(at.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(at.getTime() - Date.now()).toBeLessThanOrEqual(8 * 86_400_000);
  });

  it("answers 422 naming the field for bad input", async () => {
    const cases: [unknown, string][] = [
      [{ site_id: "site-001", config_url: "https://c.example.com/1.json" }, "action"],
      [
        { action: "x", site_id: "site-001", config_url: "https://c.example.com/1.json", priority: "urgent" },
        "priority",
      ],
      [{ action: "x", site_id: "site-001", job_type: "explode" }, "job_type"],
      [{ action: "x", config_url: "https://c.example.com/1.json" }, "site_id"],
      [{ action: "Update config", site_id: "site-001", config_version: "2" }, "config_url"],
      [{ action: "x", site_id: "site-001", config_url: "not a url" }, "config_url"],
      [
        { action: "x", site_id: "site-001", config_url: "https://c.example.com/1.json", rollout: { batches: [] } },
        "rollout.batches",
      ],
      [
        {
          action: "x",
          site_id: "site-001",
          config_url: "https://c.example.com/1.json",
          rollout: { batches: ["150%"] },
        },
        "rollout.batches.0",
      ],
      [
        {
          action: "x",
          site_id: "site-001",
          config_url: "https://c.example.com/1.json",
          rollout: { batches: [1], error_threshold: 2 },
        },
        "rollout.error_threshold",
      ],
      [{ action: "x", device_ids: ["nope-1"], job_type: "restart" }, "device_ids"],
      [{ action: "x", site_id: "site-002", device_ids: ["site-001-pos-01"], job_type: "restart" }, "device_ids"],
      [
        {
          action: "x",
          device_ids: ["site-001-pos-01"],
          job_type: "restart",
          schedule: { next_maintenance_window: true },
        },
        "schedule",
      ],
      [
        { action: "x", site_id: "site-001", job_type: "restart", rollback_on_degradation: true },
        "rollback_on_degradation",
      ],
      [{ action: "x", site_id: "site-001", config_url: "https://c.example.com/1.json", surprise: 1 }, ""],
    ];
    for (const [body, field] of cases) {
      const res = await post("/jobs", body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.body).not.toMatch(/stack|at .*\.ts/);
      if (field)
        expect(
          res.json().errors?.map((e: { field: string }) => e.field),
          JSON.stringify(body),
        ).toContain(field);
    }
  });

  it("answers 404 for an unknown site", async () => {
    const res = await post("/jobs", { action: "x", site_id: "site-404", config_url: "https://c.example.com/1.json" });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toMatch(/site-404/);
  });

  it("requires an operator", async () => {
    await expectRequiresRole(
      t,
      {
        method: "POST",
        url: "/api/v1/jobs",
        payload: { action: "x", site_id: "site-001", config_url: "https://c.example.com/1.json" },
      },
      "operator",
    );
  });
});

describe("POST /jobs/sites/{site_id}/jobs (original API)", () => {
  it("creates a job for the site, inferring the type from the action", async () => {
    const res = await post("/jobs/sites/site-001/jobs", {
      action: "Restart POS app",
      priority: "normal",
      device_id: "site-001-pos-03",
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({
      site_id: "site-001",
      job_type: "restart",
      device_ids: ["site-001-pos-03"],
    });
    const cfg = await post("/jobs/sites/site-001/jobs", {
      action: "Update POS payment config",
      priority: "high",
      config_url: "https://c.example.com/a.json",
      config_version: "2.6.0",
    });
    expect(cfg.statusCode).toBe(201);
    expect(cfg.json().data).toMatchObject({ job_type: "config_update", config_version: "2.6.0" });
  });
  it("requires an operator and a known site", async () => {
    await expectRequiresRole(
      t,
      { method: "POST", url: "/api/v1/jobs/sites/site-001/jobs", payload: { action: "Restart" } },
      "operator",
    );
    expect((await post("/jobs/sites/site-999/jobs", { action: "Restart" })).statusCode).toBe(404);
  });
});

describe("GET /jobs", () => {
  it("lists newest first with filters and pagination", async () => {
    const all = await t.app.inject({ method: "GET", url: "/api/v1/jobs", headers: viewer.headers });
    expect(all.statusCode).toBe(200);
    const body = all.json();
    expect(body.success).toBe(true);
    expect(body.count).toBe(body.jobs.length);
    expect(body.total).toBeGreaterThanOrEqual(5);
    const created = body.jobs.map((j: { created_at: string }) => j.created_at);
    expect([...created].sort().reverse()).toEqual(created);

    const restarts = await t.app.inject({
      method: "GET",
      url: "/api/v1/jobs?job_type=restart&site_id=site-001&limit=1",
      headers: viewer.headers,
    });
    expect(restarts.json()).toMatchObject({ count: 1, total: 2 });
    expect(restarts.json().jobs[0]).toMatchObject({ job_type: "restart", site_id: "site-001" });
    const page2 = await t.app.inject({ method: "GET", url: "/api/v1/jobs?limit=2&offset=2", headers: viewer.headers });
    expect(page2.json().jobs[0].job_id).toBe(body.jobs[2].job_id);
    const none = await t.app.inject({ method: "GET", url: "/api/v1/jobs?site_id=site-777", headers: viewer.headers });
    expect(none.json()).toMatchObject({ count: 0, jobs: [] });
  });
  it("rejects bad filters with 400 and needs a signed-in user", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/v1/jobs?status=exploded&limit=5000",
      headers: viewer.headers,
    });
    expect(res.statusCode).toBe(400);
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/jobs" }, "viewer");
  });
});

describe("GET /jobs/{job_id} and cancel", () => {
  it("shows a job with progress, cancels it once, and records a cancelled outcome", async () => {
    const created = await post("/jobs", {
      action: "Restart all",
      job_type: "restart",
      site_id: "site-001",
      schedule: { at: new Date(Date.now() + 86_400_000).toISOString() },
    });
    const id = created.json().data.job_id;
    const got = await t.app.inject({ method: "GET", url: `/api/v1/jobs/${id}`, headers: viewer.headers });
    expect(got.statusCode).toBe(200);
    expect(got.json().data).toMatchObject({ job_id: id, status: "pending", progress: { total: 0 }, devices: [] });
    expect(got.json().data).toMatchObject({ config_mode: null, config_checks: null });
    // A config job says how its config meets the device's, and where its closed-loop checks stand.
    const config = await post("/jobs", {
      action: "Tune payments",
      site_id: "site-001",
      payload: { config: { payment_timeout_s: 45 } },
      schedule: { at: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(config.statusCode).toBe(201);
    expect(config.json().data.config_mode).toBe("replace");
    const configJob = await t.app.inject({
      method: "GET",
      url: `/api/v1/jobs/${config.json().data.job_id}`,
      headers: viewer.headers,
    });
    expect(configJob.json().data).toMatchObject({
      config_mode: "replace",
      config_checks: { changed: 0, waiting: 0, successful: 0, unsuccessful: 0, rolled_back: 0 },
    });

    await expectRequiresRole(t, { method: "POST", url: `/api/v1/jobs/${id}/cancel` }, "operator");
    const cancel = await post(`/jobs/${id}/cancel`, undefined);
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().data).toMatchObject({ job_id: id, status: "cancelled" });
    expect(cancel.json().data.error_message).toMatch(/^Cancelled by operator_/);
    const again = await post(`/jobs/${id}/cancel`, undefined);
    expect(again.statusCode).toBe(409);
    const outcomes = await t.database.db.select().from(jobOutcomes).where(eq(jobOutcomes.jobId, id));
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: "cancelled", initiatedBy: String(operator.user.id) });
  });
  it("answers 404 for unknown jobs", async () => {
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/jobs/job-00000000", headers: viewer.headers })).statusCode,
    ).toBe(404);
    expect((await post("/jobs/job-00000000/cancel", undefined)).statusCode).toBe(404);
  });
});
