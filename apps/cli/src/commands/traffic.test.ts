import { createUser } from "@homepot/core";
import { seedDemoData } from "@homepot/core/demo/seed-demo-data";
import { apiRequestLogs, errorLogs, jobs, userActivities, users } from "@homepot/db";
import { createTestApp, type TestApp } from "@homepot/server/testing";
import { eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTraffic } from "../lib/traffic-generator.ts";
import { runCli } from "../testing.ts";

let t: TestApp;
let server: string;
beforeAll(async () => {
  t = await createTestApp({ requestLogIntervalMs: 100 });
  server = await t.app.listen({ port: 0, host: "127.0.0.1" });
  await seedDemoData(t.ctx, { devices: 12 });
  await createUser(t.ctx, {
    email: "ops-admin@example.com",
    password: "admin-password-1",
    username: "ops_admin",
    role: "admin",
  });
});
afterAll(async () => t?.close());

const _count = async (
  table: typeof userActivities | typeof apiRequestLogs | typeof errorLogs,
  where?: ReturnType<typeof eq>,
) => {
  const [row] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table).where(where);
  return row?.n ?? 0;
};

describe("homepot traffic", () => {
  it("fills user_activities, api_request_logs and error_logs through the real endpoints", async () => {
    const summary = await runTraffic({
      server,
      durationMs: 120_000,
      sessionsPerUser: 3,
      users: 2,
      admin: { email: "ops-admin@example.com", password: "admin-password-1" },
      pace: 0.004,
      seed: 7,
      jobs: true,
    });

    expect(summary.users).toBe(3);
    expect(summary.pageViews).toBeGreaterThan(5);
    expect(summary.activitiesRecorded).toBeGreaterThan(10);
    expect(summary.frontendErrorsReported).toBeGreaterThan(0);
    expect(summary.clientErrorsMade).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300)); // the request-log writer flushes every 100 ms here

    const activities = await t.ctx.db.select().from(userActivities);
    expect(activities.length).toBe(summary.activitiesRecorded);
    const types = new Set(activities.map((a) => a.activityType));
    for (const type of ["page_view", "click", "page_leave"]) expect(types).toContain(type);
    expect(activities.every((a) => a.sessionId?.startsWith("sess-") && a.pageUrl?.startsWith("/"))).toBe(true);
    // Attributed to real users, not to a body-supplied id.
    expect(new Set(activities.map((a) => a.userId)).size).toBeGreaterThanOrEqual(2);

    const frontend = await t.ctx.db.select().from(errorLogs).where(eq(errorLogs.category, "frontend"));
    expect(frontend.length).toBe(summary.frontendErrorsReported);
    expect(frontend.every((e) => e.errorMessage.length > 0 && e.userId !== null)).toBe(true);

    const logged = await t.ctx.db.select().from(apiRequestLogs);
    expect(logged.length).toBeGreaterThan(summary.pageViews);
    expect(logged.some((r) => r.statusCode === 404)).toBe(true);
    expect(logged.some((r) => r.statusCode === 401)).toBe(true);
    expect(
      logged.some((r) => r.statusCode >= 400 && r.statusCode < 500 && r.endpoint === "/api/v1/analytics/user-activity"),
    ).toBe(true);
    expect(logged.some((r) => r.userId !== null && r.userAgent?.startsWith("Mozilla/5.0"))).toBe(true);
    // Users only call what their role may (like the dashboard): no 403 anywhere; every route exists.
    expect(logged.filter((r) => r.statusCode === 403).map((r) => r.endpoint)).toEqual([]);
    expect(logged.filter((r) => r.statusCode === 404 && !r.endpoint.endsWith("-old")).map((r) => r.endpoint)).toEqual(
      [],
    );

    // The admin started a job from the jobs page: a real job row, created by that user.
    expect(summary.jobsCreated).toBe(1);
    const created = await t.ctx.db.select().from(jobs);
    expect(created).toHaveLength(1);
    expect(created[0]?.createdBy).not.toBeNull();

    // The two users it signed up are disabled again by the admin account at the end.
    expect(summary).toMatchObject({ usersDisabled: 2, usersLeft: [] });
    const made = await t.ctx.db.select().from(users).where(like(users.email, "traffic-%"));
    expect(made).toHaveLength(2);
    expect(made.every((u) => !u.isActive)).toBe(true);
  });

  it("creates no job unless asked; users it could not disable are left for --cleanup", async () => {
    const jobsBefore = await t.ctx.db.$count(jobs);
    const summary = await runTraffic({
      server,
      durationMs: 60_000,
      sessionsPerUser: 1,
      users: 1,
      admin: { email: "ops-admin@example.com", password: "admin-password-1" },
      keepUsers: true,
      pace: 0.004,
      seed: 8,
    });
    expect(summary.jobsCreated).toBe(0);
    expect(await t.ctx.db.$count(jobs)).toBe(jobsBefore);
    expect(summary.usersLeft).toHaveLength(1);
    const email = summary.usersLeft[0]!;
    expect((await t.ctx.db.select().from(users).where(eq(users.email, email)))[0]?.isActive).toBe(true);

    const args = ["traffic", "--cleanup", "--server", server, "--email", "ops-admin@example.com"];
    const cleanup = await runCli([...args, "--password", "admin-password-1", "--json"]);
    expect(cleanup.code, cleanup.stderr).toBe(0);
    expect(JSON.parse(cleanup.stdout)).toEqual({ users_disabled: [email] });
    expect((await t.ctx.db.select().from(users).where(eq(users.email, email)))[0]?.isActive).toBe(false);
    expect((await runCli(["traffic", "--cleanup", "--server", server])).code).toBe(2);
  });
});
