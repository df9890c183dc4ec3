import { auditLogs, errorLogs, userActivities, users } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, "admin");
  await t.ctx.db.insert(userActivities).values(
    [0, 1, 2].map((i) => ({
      timestamp: new Date(Date.UTC(2026, 2, 1, i)),
      userId: String(admin.user.id),
      activityType: "page_view",
      pageUrl: `/p${i}`,
    })),
  );
});
afterAll(async () => t.close());

const get = (q: string) =>
  t.app.inject({ method: "GET", url: `/api/v1/analytics/export?${q}`, headers: admin.headers });

describe("GET /analytics/export", () => {
  it("needs an admin", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/analytics/export?table=users" }, "admin");
  });

  it("streams jsonl with pseudonymised user ids and audits the export", async () => {
    const res = await get("table=user_activities&format=jsonl&start_date=2026-03-01T01:00:00Z");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/application\/x-ndjson/);
    expect(res.headers["content-disposition"]).toMatch(/attachment; filename="user_activities-.*\.jsonl"/);
    const rows = res.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.page_url)).toEqual(["/p1", "/p2"]);
    expect(rows[0].user_id).toMatch(/^u_[0-9a-f]{20}$/);
    expect(rows[0].user_id).not.toBe(String(admin.user.id));
    const [audit] = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "data_export"));
    expect(audit).toMatchObject({
      userId: admin.user.id,
      eventMetadata: { table: "user_activities", format: "jsonl" },
    });
  });

  it("streams csv without secret columns", async () => {
    const res = await get("table=users&format=csv");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/csv/);
    const [header, ...lines] = res.body.trim().split("\r\n");
    expect(header!.split(",")).not.toContain("hashed_password");
    expect(header!.split(",")).not.toContain("email");
    const [stored] = await t.ctx.db.select().from(users).where(eq(users.id, admin.user.id));
    expect(res.body).not.toContain(stored!.hashedPassword);
    expect(res.body).not.toContain(admin.email);
    expect(lines.length).toBeGreaterThanOrEqual(1);
  });

  it("prefixes csv cells that start a formula (CSV injection)", async () => {
    await t.ctx.db.insert(errorLogs).values({
      timestamp: new Date(Date.UTC(2026, 2, 2)),
      category: "frontend",
      severity: "error",
      errorMessage: "=cmd|' /C calc'!A0",
      endpoint: "@SUM(A1)",
    });
    const res = await get("table=error_logs&format=csv");
    expect(res.statusCode).toBe(200);
    const [header, line] = res.body.trim().split("\r\n");
    const cells = line!.split(",");
    expect(cells[header!.split(",").indexOf("error_message")]).toBe("'=cmd|' /C calc'!A0");
    expect(cells[header!.split(",").indexOf("endpoint")]).toBe("'@SUM(A1)");
  });

  it("400 naming a bad parameter", async () => {
    for (const [q, field] of [
      ["table=passwords", "table"],
      ["format=jsonl", "table"],
      ["table=users&format=parquet", "format"],
      ["table=users&start_date=2026-03-02&end_date=2026-03-01", "start_date"],
    ]) {
      const res = await get(q!);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().detail).toMatch(new RegExp(`^querystring ${field}:`));
    }
  });
});
