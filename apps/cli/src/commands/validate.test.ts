import {
  apiRequestLogs,
  auditLogs,
  configurationHistory,
  deviceMetrics,
  deviceStateHistory,
  devices,
  errorLogs,
  healthChecks,
  jobOutcomes,
  jobs,
  siteOperatingSchedules,
  sites,
  userActivities,
  users,
} from "@homepot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCliDatabase } from "../lib/database.ts";
import { runCli, useCliDatabase } from "../testing.ts";

let env: Awaited<ReturnType<typeof useCliDatabase>>;
beforeAll(async () => {
  env = await useCliDatabase();
});
afterAll(async () => env.cleanup());

interface Report {
  ready: boolean;
  summary: { tables: number; ready: number; not_ready: number; no_rows_yet: number };
  tables: {
    table: string;
    ready: boolean;
    status: string;
    reasons: string[];
    row_count: number;
    schema: { ok: boolean; missing: string[] };
    columns: { name: string; nulls: number; null_rate: number; required: boolean }[];
    violations: { check: string; kind: string; severity: string; count: number; sample_ids: number[] }[];
  }[];
}

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openCliDatabase>>["db"]) => Promise<T>): Promise<T> {
  const database = await openCliDatabase();
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

describe("homepot validate", () => {
  it("on an empty database: not ready, each table saying 'no rows yet' (not a failure), exit 1", async () => {
    const res = await runCli(["validate", "--json"]);
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as Report;
    expect(report.ready).toBe(false);
    expect(report.summary).toEqual({ tables: 14, ready: 0, not_ready: 14, no_rows_yet: 14 });
    for (const t of report.tables) {
      expect(t.schema.ok, `${t.table} schema`).toBe(true);
      expect(t.reasons, t.table).toContain("no rows collected yet");
      expect(t.status, t.table).toBe("no_rows_yet");
    }
    const text = await runCli(["validate"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/validate.*14 tables checked/);
    expect(text.stdout).toMatch(/^device_metrics\s+0\s+ok.*no rows yet$/m);
    expect(text.stdout).not.toMatch(/NOT READY|✗/);
    expect(text.stdout).toMatch(/0\/14 tables ready for AI training; no rows yet: sites, devices/);
  });

  it("ready for every table once each holds sound, fresh data; a corrupted row is reported with its id", async () => {
    const now = new Date();
    await withDb(async (db) => {
      const [site] = await db.insert(sites).values({ siteId: "site-001", name: "Main" }).returning();
      const [device] = await db
        .insert(devices)
        .values({
          deviceId: "pos-terminal-001",
          name: "POS 1",
          deviceType: "pos_terminal",
          siteId: "site-001",
          status: "online",
          lastSeen: now,
        })
        .returning();
      const [user] = await db
        .insert(users)
        .values({ username: "ana", email: "ana@example.com", hashedPassword: "$2b$12$x", role: "admin", isAdmin: true })
        .returning();
      await db
        .insert(jobs)
        .values({ jobId: "job-0000abcd", action: "Update config", siteId: site!.id, createdAt: now });
      await db
        .insert(healthChecks)
        .values({ deviceId: device!.id, isHealthy: true, statusCode: 200, responseTimeMs: 20, timestamp: now });
      await db.insert(auditLogs).values({ eventType: "system_startup", userId: user!.id, createdAt: now });
      await db
        .insert(apiRequestLogs)
        .values({ endpoint: "/api/v1/devices", method: "GET", statusCode: 200, responseTimeMs: 3, timestamp: now });
      await db.insert(userActivities).values({ userId: String(user!.id), activityType: "page_view", timestamp: now });
      await db
        .insert(deviceStateHistory)
        .values({ deviceId: "pos-terminal-001", newState: "online", changedBy: "system", timestamp: now });
      await db.insert(jobOutcomes).values({
        jobId: "job-0000abcd",
        status: "completed",
        deviceId: "pos-terminal-001",
        durationMs: 100,
        timestamp: now,
      });
      await db.insert(errorLogs).values({ category: "api", severity: "error", errorMessage: "boom", timestamp: now });
      await db.insert(deviceMetrics).values({
        deviceId: "pos-terminal-001",
        cpuPercent: 40,
        memoryPercent: 50,
        diskPercent: 30,
        transactionCount: 3,
        timestamp: now,
      });
      await db.insert(configurationHistory).values({
        entityType: "device",
        entityId: "pos-terminal-001",
        parameterName: "config_version",
        changedBy: "1",
        changeType: "automated",
        timestamp: now,
      });
      await db
        .insert(siteOperatingSchedules)
        .values({ siteId: "site-001", dayOfWeek: 4, openTime: "08:00", closeTime: "23:30" });
    });
    const good = await runCli(["validate", "--json"]);
    const report = JSON.parse(good.stdout) as Report;
    expect(report.tables.filter((t) => !t.ready).map((t) => [t.table, t.reasons])).toEqual([]);
    expect(good.code).toBe(0);
    const dm = report.tables.find((t) => t.table === "device_metrics")!;
    expect(dm.columns.find((c) => c.name === "queue_depth")).toMatchObject({ nulls: 1, null_rate: 1, required: false });

    const bad = await withDb(async (db) => {
      const [row] = await db
        .insert(deviceMetrics)
        .values({ deviceId: "ghost-device", cpuPercent: 150, queueDepth: -2, timestamp: new Date() })
        .returning();
      const [future] = await db
        .insert(userActivities)
        .values({ userId: "1", activityType: "click", timestamp: new Date(Date.now() + 86_400_000) })
        .returning();
      return { metric: row!.id, activity: future!.id };
    });
    const res = await runCli(["validate", "--json", "--table", "device_metrics", "--table", "user_activities"]);
    expect(res.code).toBe(1);
    const after = JSON.parse(res.stdout) as Report;
    expect(after.summary.tables).toBe(2);
    const metrics = after.tables.find((t) => t.table === "device_metrics")!;
    expect(metrics.ready).toBe(false);
    const byCheck = Object.fromEntries(metrics.violations.map((v) => [v.check, v]));
    expect(byCheck["cpu_percent outside 0–100"]).toMatchObject({ kind: "range", count: 1, sample_ids: [bad.metric] });
    expect(byCheck["negative queue_depth"]).toMatchObject({ count: 1, sample_ids: [bad.metric] });
    expect(byCheck["device_id not a known device"]).toMatchObject({
      kind: "reference",
      count: 1,
      sample_ids: [bad.metric],
    });
    const activities = after.tables.find((t) => t.table === "user_activities")!;
    expect(activities.violations[0]).toMatchObject({
      check: "timestamp in the future",
      kind: "future",
      sample_ids: [bad.activity],
    });

    const text = await runCli(["validate", "--table", "device_metrics"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/device_metrics: NOT READY/);
    expect(text.stdout).toMatch(new RegExp(`cpu_percent outside 0–100: e\\.g\\. id ${bad.metric}`));
  });

  it("refuses an unknown table (exit 2)", async () => {
    const res = await runCli(["validate", "--table", "nope"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/unknown table "nope"/);
  });
});
