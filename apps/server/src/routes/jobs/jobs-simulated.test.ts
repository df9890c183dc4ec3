import { ConfigChangeWatcher } from "@homepot/core/config-history/config-change-watcher";
import { waitFor } from "@homepot/core/jobs/fake-fleet.testing";
import { JobOrchestrator } from "@homepot/core/jobs/orchestrator";
import { ManualClock } from "@homepot/core/simulator/scheduler";
import { type SimulatedFleet, startSimulatedFleet } from "@homepot/core/simulator/start-simulated-fleet";
import { configurationHistory, devices, jobOutcomes, jobs } from "@homepot/db";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";

// Monday 5 January 2026, 12:30 UTC: the demo sites are open.
const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 30));
let t: TestApp;
let sim: SimulatedFleet;
let orchestrator: JobOrchestrator;
let watcher: ConfigChangeWatcher;

beforeAll(async () => {
  t = await createTestApp({ clock });
  sim = await startSimulatedFleet({ ...t.ctx, clock }, { devices: 5, clock, seed: 7 });
  // Retries absorb the simulator's own occasional failures; the two forced ones fail every attempt.
  orchestrator = new JobOrchestrator(
    { ...t.ctx, clock },
    {
      pollIntervalMs: 20,
      commandPollMs: 20,
      heartbeatMs: 1_000,
      staleAfterMs: 3_600_000,
      commandTimeoutMs: 15 * 60_000,
      maxRetries: 3,
      retryDelayMs: 0,
    },
  );
  watcher = new ConfigChangeWatcher(
    { ...t.ctx, clock },
    { pollIntervalMs: 20, settleMs: 60_000, healthWaitMs: 10 * 60_000, commandTtlMs: 15 * 60_000 },
  );
});
afterAll(async () => {
  await orchestrator?.stop();
  await watcher?.stop();
  await sim?.stop();
  await t?.close();
});

/** Runs simulated time forward in small steps until `done` holds. */
async function runUntil<T>(done: () => Promise<T | undefined | false>, what: string): Promise<T> {
  return waitFor(
    async () => {
      await sim.fleet.advance(5_000);
      await new Promise((r) => setTimeout(r, 15));
      return done();
    },
    what,
    60_000,
  );
}

describe("a job over the in-process simulated fleet", () => {
  it("ends partial with 3 of 5 succeeded when 2 devices are forced to fail, and closes the config loop", async () => {
    await sim.fleet.advance(60_000); // baseline health reports (performance_before)
    sim.fleet.forceCommandFailures("pos-terminal-002", Number.POSITIVE_INFINITY, {
      message: "Config download timed out",
    });
    sim.fleet.forceCommandFailures("pos-terminal-004", Number.POSITIVE_INFINITY, {
      message: "Config validation failed",
    });
    const { headers } = await loginAs(t, "operator");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/jobs",
      headers,
      payload: {
        action: "Update POS payment config",
        site_id: "site-001",
        config_url: "https://cfg.example.com/pay-2.6.0.json",
        config_version: "2.6.0",
      },
    });
    expect(res.statusCode).toBe(201);
    const jobId = res.json().data.job_id as string;
    orchestrator.start();
    watcher.start();

    const job = await runUntil(async () => {
      const [j] = await t.ctx.db.select().from(jobs).where(eq(jobs.jobId, jobId));
      return j && ["completed", "partial", "failed"].includes(j.status) ? j : undefined;
    }, "the job to finish");
    expect(job.status).toBe("partial");
    const [summary] = await t.ctx.db
      .select()
      .from(jobOutcomes)
      .where(and(eq(jobOutcomes.jobId, jobId), isNull(jobOutcomes.deviceId)));
    expect(summary?.extraData).toMatchObject({
      total_devices: 5,
      successful: 3,
      failed: 2,
      site_id: "site-001",
      segment: "pos-terminals",
    });
    const failed = await t.ctx.db
      .select()
      .from(jobOutcomes)
      .where(and(eq(jobOutcomes.jobId, jobId), eq(jobOutcomes.status, "failed")));
    expect(failed.map((f) => f.deviceId).sort()).toEqual(["pos-terminal-002", "pos-terminal-004"]);
    expect(failed.map((f) => f.errorMessage).sort()).toEqual(["Config download timed out", "Config validation failed"]);

    // Each device that applied 2.6.0 gets performance_after from a fresh report after the settling period.
    const rows = await runUntil(async () => {
      const r = await t.ctx.db
        .select()
        .from(configurationHistory)
        .where(and(eq(configurationHistory.jobId, jobId), eq(configurationHistory.entityType, "device")));
      return r.length === 3 && r.every((x) => x.performanceAfter !== null) ? r : undefined;
    }, "performance_after on the 3 devices");
    for (const row of rows) {
      expect(row.performanceBefore).toMatchObject({ status: expect.any(String), response_time_ms: expect.any(Number) });
      expect(row.performanceAfter).toMatchObject({ status: expect.any(String) });
      expect(typeof row.wasSuccessful).toBe("boolean");
      expect(new Date((row.performanceAfter as { checked_at: string }).checked_at).getTime()).toBeGreaterThanOrEqual(
        row.timestamp.getTime() + 60_000,
      );
    }
    const updated = await t.ctx.db.select().from(devices).where(eq(devices.siteId, "site-001"));
    expect(
      updated
        .filter((d) => d.configVersion === "2.6.0")
        .map((d) => d.deviceId)
        .sort(),
    ).toEqual(rows.map((r) => r.entityId).sort());
  });
});
