import {
  auditLogs,
  configurationHistory,
  type Database,
  deviceCommands,
  devices,
  errorLogs,
  jobDevices,
  jobOutcomes,
  jobs,
  openDatabase,
} from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queueCommand } from "../commands/queue-command.ts";
import { reportCommandResult } from "../commands/report-command-result.ts";
import { ConfigChangeWatcher, type ConfigWatcherOptions } from "../config-history/config-change-watcher.ts";
import { type Context, systemContext } from "../context.ts";
import { createUser } from "../users/create-user.ts";
import { cancelJob } from "./cancel-job.ts";
import { createJob } from "./create-job.ts";
import { type Answer, addHealthCheck, makeDevices, makeSite, startResponder, waitFor } from "./fake-fleet.testing.ts";
import { getJob } from "./get-job.ts";
import { JobOrchestrator, type OrchestratorOptions } from "./orchestrator.ts";

let database: TestDatabase;
let ctx: Context;
let userCtx: Context;
const stops: (() => Promise<void>)[] = [];

const fast: Partial<OrchestratorOptions> = {
  pollIntervalMs: 20,
  commandPollMs: 20,
  heartbeatMs: 40,
  staleAfterMs: 1_500,
  commandTimeoutMs: 5_000,
  maxRetries: 1,
  retryDelayMs: 10,
};

function orchestrator(options: Partial<OrchestratorOptions> = {}, db = database.db) {
  const o = new JobOrchestrator(systemContext(db, "test"), { ...fast, ...options });
  o.start();
  stops.push(() => o.stop());
  return o;
}

/** The config-change watcher, which every server instance runs beside its orchestrator. */
function watcher(options: Partial<ConfigWatcherOptions> = {}) {
  const w = new ConfigChangeWatcher(systemContext(database.db, "test"), {
    pollIntervalMs: 20,
    settleMs: 60_000,
    healthWaitMs: 5_000,
    commandTtlMs: 5_000,
    ...options,
  });
  w.start();
  stops.push(() => w.stop());
  return w;
}

function responder(behaviour: Parameters<typeof startResponder>[1]) {
  const r = startResponder(database.db, behaviour);
  stops.push(() => r.stop());
  return r;
}

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = systemContext(database.db, "test");
  const user = await createUser(ctx, {
    email: "ops@example.com",
    password: "operator-pass-1",
    username: "ops",
    role: "operator",
  });
  userCtx = {
    ...ctx,
    actor: { kind: "user", userId: user.id, username: user.username, email: user.email, role: "operator" },
  };
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});
afterAll(async () => database.close());

const finished = (jobId: string) =>
  waitFor(async () => {
    const [j] = await database.db.select().from(jobs).where(eq(jobs.jobId, jobId));
    return j && ["completed", "partial", "failed", "cancelled"].includes(j.status) ? j : undefined;
  }, `job ${jobId} to finish`);

describe("orchestrator", () => {
  it("runs a site config job over 5 devices with 2 forced failures to `partial` and records outcomes and config history", async () => {
    await makeSite(database.db, "s-partial");
    const devs = await makeDevices(database.db, "s-partial", 5);
    const failing = new Set([devs[1]?.deviceId, devs[3]?.deviceId]);
    responder(({ deviceId }) => (failing.has(deviceId) ? "failed" : "succeeded"));
    const { job } = await createJob(userCtx, {
      action: "Update POS payment config",
      siteId: "s-partial",
      configVersion: "2.0.0",
      configUrl: "https://cfg.example.com/2.0.0.json",
    });
    orchestrator();
    watcher();
    const done = await finished(job.jobId);
    expect(done.status).toBe("partial");
    expect(done.errorMessage).toBe("2 of 5 devices failed");

    const outcomes = await database.db.select().from(jobOutcomes).where(eq(jobOutcomes.jobId, job.jobId));
    const summary = outcomes.find((o) => o.deviceId === null);
    expect(summary?.status).toBe("partial");
    expect(summary?.extraData).toMatchObject({
      total_devices: 5,
      successful: 3,
      failed: 2,
      site_id: "s-partial",
      segment: "pos-terminals",
    });
    expect(summary?.initiatedBy).toBe(String(userCtx.actor.kind === "user" ? userCtx.actor.userId : ""));
    expect(summary?.durationMs).toBeGreaterThanOrEqual(0);
    expect(summary?.retryCount).toBe(2); // each failing device was retried once
    const perDevice = outcomes.filter((o) => o.deviceId !== null);
    expect(perDevice.map((o) => o.deviceId).sort()).toEqual([...failing].sort());
    expect(
      perDevice.every((o) => o.status === "failed" && o.errorCode === "COMMAND_FAIL_001" && o.retryCount === 1),
    ).toBe(true);

    // Each device got one UPDATE_CONFIG with the job's config; failing ones twice (one retry).
    const cmds = await database.db.select().from(deviceCommands).where(eq(deviceCommands.jobId, job.jobId));
    expect(cmds).toHaveLength(7);
    expect(
      cmds.every(
        (c) => c.commandType === "UPDATE_CONFIG" && (c.payload as Record<string, unknown>).config_version === "2.0.0",
      ),
    ).toBe(true);

    // Device config history for the 3 that applied it; their config_version moved on.
    const history = await database.db
      .select()
      .from(configurationHistory)
      .where(eq(configurationHistory.jobId, job.jobId));
    expect(history.filter((h) => h.entityType === "site")).toHaveLength(1);
    const deviceRows = history.filter((h) => h.entityType === "device");
    expect(deviceRows).toHaveLength(3);
    expect(deviceRows[0]?.oldValue).toMatchObject({ config_version: "1.0.0" });
    expect(deviceRows[0]?.newValue).toMatchObject({
      config_version: "2.0.0",
      config_url: "https://cfg.example.com/2.0.0.json",
    });
    const updated = await database.db.select().from(devices).where(eq(devices.siteId, "s-partial"));
    expect(updated.filter((d) => d.configVersion === "2.0.0")).toHaveLength(3);
    // The document at the URL replaced the config; the server holds the URL beside it, never inside it.
    expect(updated.filter((d) => d.configVersion === "2.0.0").every((d) => d.config === null)).toBe(true);

    const audits = await database.db.select().from(auditLogs).where(eq(auditLogs.jobId, done.id));
    expect(audits.map((a) => a.eventType)).toEqual(
      expect.arrayContaining(["job_created", "job_started", "job_finished"]),
    );
  });

  it("records `No devices found` as a failed outcome", async () => {
    await makeSite(database.db, "s-empty");
    const { job } = await createJob(userCtx, { action: "Restart POS", jobType: "restart", siteId: "s-empty" });
    orchestrator();
    const done = await finished(job.jobId);
    expect(done.status).toBe("failed");
    expect(done.errorMessage).toMatch(/^No devices found for site s-empty/);
    const [outcome] = await database.db.select().from(jobOutcomes).where(eq(jobOutcomes.jobId, job.jobId));
    expect(outcome).toMatchObject({ status: "failed", errorCode: "JOB_FAIL_001" });
    expect(outcome?.extraData).toMatchObject({ total_devices: 0, successful: 0, failed: 0 });
  });

  it("stops a staged rollout at its error threshold and leaves the remaining devices untouched", async () => {
    await makeSite(database.db, "s-staged");
    const devs = await makeDevices(database.db, "s-staged", 10);
    const firstBatch = new Set(devs.slice(0, 2).map((d) => d.deviceId));
    responder(({ deviceId }) => (firstBatch.has(deviceId) && deviceId.endsWith("01") ? "failed" : "succeeded"));
    const { job } = await createJob(userCtx, {
      action: "Restart terminals",
      jobType: "restart",
      siteId: "s-staged",
      rollout: { batches: [2, "30%"], pause_s: 0, error_threshold: 0.25 },
    });
    orchestrator({ maxRetries: 0 });
    const done = await finished(job.jobId);
    expect(done.status).toBe("partial");
    expect(done.errorMessage).toMatch(/^Emergency stop after batch 1: error rate 50\.0%/);
    const rows = await database.db.select().from(jobDevices).where(eq(jobDevices.jobId, job.jobId));
    expect(rows.filter((r) => r.status === "skipped")).toHaveLength(8);
    expect(new Set(rows.map((r) => r.batch))).toEqual(new Set([0, 1, 2, 3]));
    const cmds = await database.db.select().from(deviceCommands).where(eq(deviceCommands.jobId, job.jobId));
    expect(cmds.map((c) => c.deviceId).sort()).toEqual([...firstBatch].sort());
    expect(cmds.every((c) => c.commandType === "RESTART")).toBe(true);
    const [summary] = await database.db
      .select()
      .from(jobOutcomes)
      .where(and(eq(jobOutcomes.jobId, job.jobId), isNull(jobOutcomes.deviceId)));
    expect(summary).toMatchObject({ errorCode: "JOB_STOP_001" });
    expect(summary?.extraData).toMatchObject({
      total_devices: 10,
      successful: 1,
      failed: 1,
      skipped: 8,
      emergency_stop: true,
    });
    const stopAudit = await database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.jobId, done.id), eq(auditLogs.eventType, "job_emergency_stop")));
    expect(stopAudit).toHaveLength(1);
    const errs = await database.db.select().from(errorLogs).where(eq(errorLogs.errorCode, "JOB_STOP_001"));
    expect(errs.some((e) => e.errorMessage.includes(job.jobId) && e.category === "job")).toBe(true);
  });

  it("rolls back a config that degrades the device, with performance_before and performance_after filled", async () => {
    await makeSite(database.db, "s-rollback");
    const [dev] = await makeDevices(database.db, "s-rollback", 1);
    const deviceId = dev?.deviceId as string;
    await addHealthCheck(database.db, deviceId, new Date(Date.now() - 60_000), true, 100, 0.5);
    // The device applies any config; asked for a health check afterwards it reports a degraded state.
    responder(async ({ commandType }): Promise<Answer> => {
      if (commandType === "RUN_HEALTH_CHECK") await addHealthCheck(database.db, deviceId, new Date(), false, 900, 7);
      return "succeeded";
    });
    const { job } = await createJob(userCtx, {
      action: "Update POS payment config",
      deviceIds: [deviceId],
      configVersion: "3.0.0-bad",
      configUrl: "https://cfg.example.com/3.0.0-bad.json",
      rollbackOnDegradation: true,
    });
    orchestrator();
    watcher({ settleMs: 50 });
    expect((await finished(job.jobId)).status).toBe("completed");

    const evaluated = await waitFor(async () => {
      const rows = await database.db
        .select()
        .from(configurationHistory)
        .where(eq(configurationHistory.entityId, deviceId));
      const change = rows.find((r) => (r.newValue as Record<string, unknown>).config_version === "3.0.0-bad");
      const rollback = rows.find((r) => r.changeType === "automated");
      return change?.wasRolledBack && rollback ? { change, rollback } : undefined;
    }, "the rollback to be applied");
    const { change, rollback } = evaluated;
    expect(change.performanceBefore).toMatchObject({
      is_healthy: true,
      response_time_ms: 100,
      error_rate: 0.5,
      status: "healthy",
    });
    expect(change.performanceAfter).toMatchObject({
      is_healthy: false,
      response_time_ms: 900,
      error_rate: 7,
      status: "unhealthy",
    });
    expect(change.wasSuccessful).toBe(false);
    expect(change.rollbackReason).toMatch(
      /health went from healthy to unhealthy.*response time rose from 100 ms to 900 ms/,
    );
    expect(rollback.newValue).toMatchObject({ config_version: "1.0.0", rollback_of: change.id });
    const [after] = await database.db.select().from(devices).where(eq(devices.deviceId, deviceId));
    expect(after?.configVersion).toBe("1.0.0");
    const cmds = await database.db.select().from(deviceCommands).where(eq(deviceCommands.deviceId, deviceId));
    // The change, the rollback, and at least one health check asked for (the rollback is evaluated too).
    expect(cmds.filter((c) => c.commandType === "UPDATE_CONFIG")).toHaveLength(2);
    expect(cmds.filter((c) => c.commandType === "RUN_HEALTH_CHECK").length).toBeGreaterThanOrEqual(1);
    const errs = await database.db.select().from(errorLogs).where(eq(errorLogs.deviceId, deviceId));
    expect(errs.some((e) => e.errorCode === "CONFIG_ROLLBACK_001")).toBe(true);

    // Every device "succeeded", yet the job says the change was unsuccessful.
    const detail = await getJob(ctx, job.jobId);
    expect(detail.status).toBe("completed");
    expect(detail.config_mode).toBe("replace");
    expect(detail.config_checks).toEqual({ changed: 1, waiting: 0, successful: 0, unsuccessful: 1, rolled_back: 1 });
    expect(detail.devices[0]).toMatchObject({ status: "succeeded", config_check: "rolled_back" });
  });

  it("keeps a config that performs well and does not roll back", async () => {
    await makeSite(database.db, "s-good");
    const [dev] = await makeDevices(database.db, "s-good", 1);
    const deviceId = dev?.deviceId as string;
    await addHealthCheck(database.db, deviceId, new Date(Date.now() - 60_000), true, 120, 1);
    responder(async ({ commandType }): Promise<Answer> => {
      if (commandType === "RUN_HEALTH_CHECK") await addHealthCheck(database.db, deviceId, new Date(), true, 110, 0.8);
      return "succeeded";
    });
    const { job } = await createJob(userCtx, {
      action: "Tune",
      deviceIds: [deviceId],
      configVersion: "1.1.0",
      configUrl: "https://cfg.example.com/1.1.0.json",
      rollbackOnDegradation: true,
    });
    orchestrator();
    watcher({ settleMs: 50 });
    await finished(job.jobId);
    const row = await waitFor(async () => {
      const [r] = await database.db
        .select()
        .from(configurationHistory)
        .where(and(eq(configurationHistory.entityId, deviceId), eq(configurationHistory.jobId, job.jobId)));
      return r?.wasSuccessful !== null && r?.wasSuccessful !== undefined ? r : undefined;
    }, "evaluation");
    expect(row.wasSuccessful).toBe(true);
    expect(row.wasRolledBack).toBe(false);
    expect(row.performanceAfter).toMatchObject({ response_time_ms: 110 });
    const [d] = await database.db.select().from(devices).where(eq(devices.deviceId, deviceId));
    expect(d?.configVersion).toBe("1.1.0");
    const detail = await getJob(ctx, job.jobId);
    expect(detail.config_checks).toMatchObject({ changed: 1, successful: 1, unsuccessful: 0 });
    expect(detail.devices[0]?.config_check).toBe("successful");
  });

  it("replaces the device's configuration the same way inline or by URL, with no metadata inside it", async () => {
    await makeSite(database.db, "s-replace");
    const [dev] = await makeDevices(database.db, "s-replace", 1);
    const deviceId = dev?.deviceId as string;
    // A config as an older release stored it: with the version inside the object.
    await database.db
      .update(devices)
      .set({ config: { printer: "epson", config_version: "1.0.0" } })
      .where(eq(devices.deviceId, deviceId));
    responder(() => "succeeded");
    orchestrator();
    watcher({ settleMs: 3_600_000 });
    const deviceRow = async () => (await database.db.select().from(devices).where(eq(devices.deviceId, deviceId)))[0];

    const inline = await createJob(userCtx, {
      action: "Inline settings",
      deviceIds: [deviceId],
      configVersion: "2.0.0",
      payload: { config: { payment_timeout_s: 45, config_url: "https://ignored.example.com" } },
    });
    await finished(inline.job.jobId);
    await waitFor(async () => (await deviceRow())?.configVersion === "2.0.0", "the inline config");
    expect((await deviceRow())?.config).toEqual({ payment_timeout_s: 45 }); // replaced, no metadata inside

    const byUrl = await createJob(userCtx, {
      action: "Config by URL",
      deviceIds: [deviceId],
      configVersion: "3.0.0",
      configUrl: "https://cfg.example.com/3.0.0.json",
    });
    await finished(byUrl.job.jobId);
    await waitFor(async () => (await deviceRow())?.configVersion === "3.0.0", "the URL config");
    expect((await deviceRow())?.config).toBeNull(); // replaced by the document at the URL
    const history = await database.db
      .select()
      .from(configurationHistory)
      .where(and(eq(configurationHistory.entityId, deviceId), eq(configurationHistory.entityType, "device")));
    const first = history.find((h) => h.jobId === inline.job.jobId);
    const second = history.find((h) => h.jobId === byUrl.job.jobId);
    expect(first?.oldValue).toEqual({ config_version: "1.0.0", config_url: null, config: { printer: "epson" } });
    expect(first?.newValue).toMatchObject({
      config_version: "2.0.0",
      config_url: null,
      config: { payment_timeout_s: 45 },
    });
    expect(second?.oldValue).toEqual({ config_version: "2.0.0", config_url: null, config: { payment_timeout_s: 45 } });
    expect(second?.newValue).toMatchObject({
      config_version: "3.0.0",
      config_url: "https://cfg.example.com/3.0.0.json",
      config: null,
    });
  });

  it("rolls a degrading URL change back to the previous URL, not to an inline copy", async () => {
    await makeSite(database.db, "s-url-back");
    const [dev] = await makeDevices(database.db, "s-url-back", 1);
    const deviceId = dev?.deviceId as string;
    await addHealthCheck(database.db, deviceId, new Date(Date.now() - 60_000), true, 100, 0.5);
    let degrade = false;
    responder(async ({ commandType }): Promise<Answer> => {
      if (commandType === "RUN_HEALTH_CHECK")
        await addHealthCheck(database.db, deviceId, new Date(), !degrade, degrade ? 900 : 100, degrade ? 7 : 0.5);
      return "succeeded";
    });
    orchestrator();
    watcher({ settleMs: 50 });
    const changeOf = async (jobId: string) =>
      (
        await database.db
          .select()
          .from(configurationHistory)
          .where(and(eq(configurationHistory.entityId, deviceId), eq(configurationHistory.jobId, jobId)))
      ).find((r) => (r.newValue as Record<string, unknown>).rollback_of === undefined);

    const good = await createJob(userCtx, {
      action: "Good URL",
      deviceIds: [deviceId],
      configVersion: "2.0.0",
      configUrl: "https://cfg.example.com/2.0.0.json",
    });
    await finished(good.job.jobId);
    await waitFor(async () => (await changeOf(good.job.jobId))?.wasSuccessful === true, "the good change evaluated");

    degrade = true;
    const bad = await createJob(userCtx, {
      action: "Bad URL",
      deviceIds: [deviceId],
      configVersion: "3.0.0",
      configUrl: "https://cfg.example.com/3.0.0.json",
      rollbackOnDegradation: true,
    });
    await finished(bad.job.jobId);
    await waitFor(async () => (await changeOf(bad.job.jobId))?.wasRolledBack === true, "the bad change rolled back");
    const [rollback] = await database.db
      .select()
      .from(deviceCommands)
      .where(
        and(
          eq(deviceCommands.deviceId, deviceId),
          eq(deviceCommands.commandType, "UPDATE_CONFIG"),
          eq(deviceCommands.jobId, bad.job.jobId),
          sql`${deviceCommands.payload} ->> 'rollback_of' is not null`,
        ),
      );
    expect(rollback?.payload).toMatchObject({
      config_version: "2.0.0",
      config_url: "https://cfg.example.com/2.0.0.json",
    });
    expect(rollback?.payload).not.toHaveProperty("config");
  });

  it("resumes a job left running by a stopped instance without resending finished work", async () => {
    await makeSite(database.db, "s-restart");
    const devs = await makeDevices(database.db, "s-restart", 4);
    let answering = false;
    responder(() => (answering ? "succeeded" : "ignore"));
    const { job } = await createJob(userCtx, { action: "Restart", jobType: "restart", siteId: "s-restart" });
    const first = orchestrator();
    await waitFor(async () => {
      const rows = await database.db.select().from(jobDevices).where(eq(jobDevices.jobId, job.jobId));
      return rows.length === 4 && rows.every((r) => r.status === "sent");
    }, "commands to be sent");
    await first.stop({ release: false }); // as if the process died: claim and heartbeat stay behind
    const [left] = await database.db.select().from(jobs).where(eq(jobs.jobId, job.jobId));
    expect(left?.status).toBe("sent");
    expect(left?.claimedBy).toBe(first.instanceId);

    answering = true;
    const second = orchestrator();
    const done = await finished(job.jobId);
    expect(done.status).toBe("completed");
    expect(done.attempts).toBe(2);
    const cmds = await database.db.select().from(deviceCommands).where(eq(deviceCommands.jobId, job.jobId));
    expect(cmds).toHaveLength(devs.length); // the resumed run waited on the commands already sent
    const [summary] = await database.db.select().from(jobOutcomes).where(eq(jobOutcomes.jobId, job.jobId));
    expect(summary?.extraData).toMatchObject({
      total_devices: 4,
      successful: 4,
      failed: 0,
      instance: second.instanceId,
    });
  });

  it("marks a job failed with a reason when it was interrupted too often", async () => {
    await makeSite(database.db, "s-abandon");
    await makeDevices(database.db, "s-abandon", 1);
    const { job } = await createJob(userCtx, { action: "Restart", jobType: "restart", siteId: "s-abandon" });
    // A dead instance claimed it and never came back.
    await database.db
      .update(jobs)
      .set({ status: "sent", claimedBy: "dead-host:1", heartbeatAt: new Date(Date.now() - 60_000), attempts: 1 })
      .where(eq(jobs.jobId, job.jobId));
    orchestrator({ maxClaims: 1 });
    const done = await finished(job.jobId);
    expect(done.status).toBe("failed");
    expect(done.errorMessage).toMatch(/^Abandoned: the job was interrupted 1 times/);
    const [outcome] = await database.db.select().from(jobOutcomes).where(eq(jobOutcomes.jobId, job.jobId));
    expect(outcome?.status).toBe("failed");
  });

  it("stops sending when a running job is cancelled", async () => {
    await makeSite(database.db, "s-cancel");
    await makeDevices(database.db, "s-cancel", 6);
    responder(() => "ignore");
    const { job } = await createJob(userCtx, {
      action: "Restart",
      jobType: "restart",
      siteId: "s-cancel",
      rollout: { batches: [2], pause_s: 0, error_threshold: 1 },
    });
    orchestrator();
    await waitFor(async () => {
      const rows = await database.db.select().from(jobDevices).where(eq(jobDevices.jobId, job.jobId));
      return rows.filter((r) => r.status === "sent").length === 2;
    }, "first batch sent");
    await cancelJob(userCtx, job.jobId, "wrong store");
    const done = await finished(job.jobId);
    expect(done.status).toBe("cancelled");
    await waitFor(
      async () => (await database.db.select().from(jobOutcomes).where(eq(jobOutcomes.jobId, job.jobId))).length > 0,
      "outcome",
    );
    const [outcome] = await database.db.select().from(jobOutcomes).where(eq(jobOutcomes.jobId, job.jobId));
    expect(outcome?.status).toBe("cancelled");
    const cmds = await database.db.select().from(deviceCommands).where(eq(deviceCommands.jobId, job.jobId));
    expect(cmds).toHaveLength(2);
    expect(cmds.every((c) => c.status === "cancelled")).toBe(true);
    const rows = await database.db.select().from(jobDevices).where(eq(jobDevices.jobId, job.jobId));
    expect(rows.filter((r) => r.status === "cancelled")).toHaveLength(6);
  });
});

describe("config changes outside jobs", () => {
  const deviceCtx = (deviceId: string): Context => ({ ...ctx, actor: { kind: "device", deviceId } });
  const historyOf = (deviceId: string) =>
    database.db.select().from(configurationHistory).where(eq(configurationHistory.entityId, deviceId));

  it("records an ad-hoc UPDATE_CONFIG the moment the device reports success (command bus)", async () => {
    await makeSite(database.db, "s-adhoc");
    const [dev] = await makeDevices(database.db, "s-adhoc", 1);
    const deviceId = dev?.deviceId as string;
    watcher({ catchUpMs: 3_600_000 });
    const cmd = await queueCommand(userCtx, {
      deviceId,
      commandType: "update_config",
      payload: { config_url: "https://c.example.com/7.json", config_version: "7.0.0" },
    });
    await reportCommandResult(deviceCtx(deviceId), deviceId, cmd.commandId, { status: "completed" });
    const [row] = await waitFor(async () => {
      const rows = await historyOf(deviceId);
      return rows.length ? rows : undefined;
    }, "history row");
    expect(row).toMatchObject({
      entityType: "device",
      parameterName: "config_version",
      changeType: "manual",
      jobId: null,
    });
    expect(row?.oldValue).toMatchObject({ config_version: "1.0.0" });
    expect(row?.newValue).toMatchObject({ config_version: "7.0.0", command_id: cmd.commandId });
    expect(row?.evaluateAfter).not.toBeNull();
  });

  it("catches up on an applied config no listener saw, exactly once", async () => {
    await makeSite(database.db, "s-missed");
    const [dev] = await makeDevices(database.db, "s-missed", 1);
    const deviceId = dev?.deviceId as string;
    const cmd = await queueCommand(userCtx, {
      deviceId,
      commandType: "UPDATE_CONFIG",
      payload: { config: { tip_prompt: true }, config_version: "8.0.0" },
    });
    await reportCommandResult(deviceCtx(deviceId), deviceId, cmd.commandId, { status: "succeeded" });
    expect(await historyOf(deviceId)).toHaveLength(0); // nobody was listening
    watcher({ catchUpMs: 0 });
    await waitFor(async () => (await historyOf(deviceId)).length > 0, "catch-up");
    await new Promise((r) => setTimeout(r, 100)); // a few more ticks must not add a second row
    expect(await historyOf(deviceId)).toHaveLength(1);
    const [d] = await database.db.select().from(devices).where(eq(devices.deviceId, deviceId));
    expect(d?.configVersion).toBe("8.0.0");
    expect(d?.config).toEqual({ tip_prompt: true });
  });
});

describe("two orchestrator instances on one database", () => {
  let second: Database | undefined;
  afterAll(async () => second?.close());

  it("never run one job twice", async () => {
    await makeSite(database.db, "s-multi");
    await makeDevices(database.db, "s-multi", 3);
    responder(() => "succeeded");
    const created: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      created.push(
        (await createJob(userCtx, { action: `Restart ${i}`, jobType: "restart", siteId: "s-multi" })).job.jobId,
      );
    }
    // PostgreSQL: a second connection pool, as a second server process would have. PGlite has one engine.
    second = database.url ? await openDatabase({ databaseUrl: database.url, poolSize: 3 }) : undefined;
    // Heartbeats generous enough that a busy test machine never makes a live instance look dead.
    const a = orchestrator({ staleAfterMs: 10_000 }, database.db);
    const b = orchestrator({ staleAfterMs: 10_000 }, second?.db ?? database.db);
    for (const id of created) await finished(id);
    const outcomes = await database.db.select().from(jobOutcomes).where(isNull(jobOutcomes.deviceId));
    for (const id of created) {
      expect(outcomes.filter((o) => o.jobId === id)).toHaveLength(1);
      const cmds = await database.db.select().from(deviceCommands).where(eq(deviceCommands.jobId, id));
      expect(cmds).toHaveLength(3);
      const [j] = await database.db.select().from(jobs).where(eq(jobs.jobId, id));
      expect(j?.attempts).toBe(1);
      expect(j?.status).toBe("completed");
    }
    const instances = new Set(
      outcomes.filter((o) => created.includes(o.jobId)).map((o) => (o.extraData as { instance: string }).instance),
    );
    expect([...instances].every((i) => i === a.instanceId || i === b.instanceId)).toBe(true);
  });
});
