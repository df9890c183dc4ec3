import { auditLogs, deviceCommands, devices, errorLogs } from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clock, type Context, silentLogger } from "../context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { acknowledgePush } from "./acknowledge-push.ts";
import { cancelCommand } from "./cancel-command.ts";
import { claimPendingCommands } from "./claim-pending-commands.ts";
import { type CommandFinishedEvent, type CommandQueuedEvent, commandBus } from "./command-bus.ts";
import { expireCommands } from "./expire-commands.ts";
import { listCommands } from "./list-commands.ts";
import { queueCommand } from "./queue-command.ts";
import { reportCommandResult } from "./report-command-result.ts";

let database: TestDatabase;
let now = new Date("2026-03-02T10:00:00Z");
const clock: Clock = { now: () => now };
let ctx: Context;
let seq = 0;

async function makeDevice(): Promise<string> {
  seq += 1;
  const deviceId = `cmd-test-${seq}`;
  await database.db
    .insert(devices)
    .values({ deviceId, name: `Device ${seq}`, deviceType: "pos_terminal", siteId: "site-x" });
  return deviceId;
}

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = { db: database.db, actor: { kind: "system", name: "test" }, clock, logger: silentLogger };
});
afterAll(async () => database?.close());

describe("command use cases", () => {
  it("queues, claims once, reports, and emits queued/finished after commit", async () => {
    const deviceId = await makeDevice();
    const queued: CommandQueuedEvent[] = [];
    const finished: CommandFinishedEvent[] = [];
    const offQ = commandBus.on("queued", (e) => void queued.push(e));
    const offF = commandBus.on("finished", (e) => void finished.push(e));
    try {
      const cmd = await queueCommand(ctx, {
        deviceId,
        commandType: "run-health-check",
        payload: { a: 1 },
        jobId: "job-0000abcd",
      });
      expect(cmd.commandType).toBe("RUN_HEALTH_CHECK");
      expect(cmd.status).toBe("pending");
      expect(queued.filter((e) => e.deviceId === deviceId)).toEqual([
        { commandId: cmd.commandId, deviceId, commandType: "RUN_HEALTH_CHECK", jobId: "job-0000abcd" },
      ]);

      const first = await claimPendingCommands(ctx, deviceId);
      expect(first.map((c) => c.commandId)).toEqual([cmd.commandId]);
      expect(first[0]?.status).toBe("sent");
      expect(first[0]?.sentAt?.toISOString()).toBe(now.toISOString());
      expect(await claimPendingCommands(ctx, deviceId)).toEqual([]);

      const done = await reportCommandResult(ctx, deviceId, cmd.commandId, {
        status: "completed",
        result: { ok: true },
      });
      expect(done.status).toBe("succeeded");
      expect(done.result).toEqual({ ok: true });
      expect(finished.filter((e) => e.deviceId === deviceId)).toEqual([
        {
          commandId: cmd.commandId,
          deviceId,
          commandType: "RUN_HEALTH_CHECK",
          status: "succeeded",
          result: { ok: true },
          jobId: "job-0000abcd",
        },
      ]);
      // A retry of the same outcome is accepted; a different one is a conflict.
      expect((await reportCommandResult(ctx, deviceId, cmd.commandId, { status: "succeeded" })).status).toBe(
        "succeeded",
      );
      await expect(reportCommandResult(ctx, deviceId, cmd.commandId, { status: "failed" })).rejects.toBeInstanceOf(
        ConflictError,
      );

      const audit = await database.db.select().from(auditLogs).where(like(auditLogs.eventType, "command_%"));
      const mine = audit
        .filter((a) => (a.eventMetadata as { command_id?: string }).command_id === cmd.commandId)
        .map((a) => a.eventType);
      expect(mine).toEqual(["command_queued", "command_sent", "command_succeeded"]);
    } finally {
      offQ();
      offF();
    }
  });

  it("never lets two concurrent claims hand out the same command", async () => {
    const deviceId = await makeDevice();
    for (let i = 0; i < 20; i++) await queueCommand(ctx, { deviceId, commandType: "ping" });
    const results = await Promise.all([
      claimPendingCommands(ctx, deviceId),
      claimPendingCommands(ctx, deviceId),
      claimPendingCommands(ctx, deviceId),
    ]);
    const ids = results.flat().map((c) => c.commandId);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    const rows = await database.db.select().from(deviceCommands).where(eq(deviceCommands.deviceId, deviceId));
    expect(rows.every((r) => r.status === "sent" && r.deliveryCount === 1)).toBe(true);
  });

  it("never hands out expired commands and marks them expired", async () => {
    const deviceId = await makeDevice();
    const soon = await queueCommand(ctx, {
      deviceId,
      commandType: "REBOOT",
      expiresAt: new Date(now.getTime() + 60_000),
    });
    const later = await queueCommand(ctx, {
      deviceId,
      commandType: "PING",
      expiresAt: new Date(now.getTime() + 3_600_000),
    });
    const other = await makeDevice();
    const sweep = await queueCommand(ctx, {
      deviceId: other,
      commandType: "PING",
      expiresAt: new Date(now.getTime() + 60_000),
    });
    now = new Date(now.getTime() + 120_000);
    const claimed = await claimPendingCommands(ctx, deviceId);
    expect(claimed.map((c) => c.commandId)).toEqual([later.commandId]);
    const [expiredRow] = await database.db
      .select()
      .from(deviceCommands)
      .where(eq(deviceCommands.commandId, soon.commandId));
    expect(expiredRow?.status).toBe("expired");
    expect(expiredRow?.sentAt).toBeNull();
    // The background sweep expires the other device's overdue command.
    expect(await expireCommands(ctx)).toBeGreaterThanOrEqual(1);
    const [swept] = await database.db
      .select()
      .from(deviceCommands)
      .where(eq(deviceCommands.commandId, sweep.commandId));
    expect(swept?.status).toBe("expired");
    await expect(reportCommandResult(ctx, other, sweep.commandId, { status: "succeeded" })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("lets a device report only its own commands and logs failures", async () => {
    const a = await makeDevice();
    const b = await makeDevice();
    const cmd = await queueCommand(ctx, { deviceId: a, commandType: "reboot" });
    await claimPendingCommands(ctx, a);
    await expect(reportCommandResult(ctx, b, cmd.commandId, { status: "succeeded" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(reportCommandResult(ctx, a, cmd.commandId, { status: "maybe" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const failed = await reportCommandResult(ctx, a, cmd.commandId, {
      status: "failed",
      result: { error: "not permitted" },
    });
    expect(failed.errorMessage).toBe("not permitted");
    const errors = await database.db
      .select()
      .from(errorLogs)
      .where(and(eq(errorLogs.deviceId, a), eq(errorLogs.errorCode, "COMMAND_FAIL_001")));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.errorMessage).toContain("not permitted");
  });

  it("validates input and cancels open commands", async () => {
    const deviceId = await makeDevice();
    await expect(queueCommand(ctx, { deviceId, commandType: "self_destruct" })).rejects.toMatchObject({
      field: "command_type",
    });
    await expect(queueCommand(ctx, { deviceId: "no-such-device", commandType: "ping" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(queueCommand(ctx, { deviceId, commandType: "update_config", payload: {} })).rejects.toMatchObject({
      field: "payload.config_url",
    });
    await expect(
      queueCommand(ctx, { deviceId, commandType: "ping", expiresAt: new Date(now.getTime() - 1) }),
    ).rejects.toMatchObject({ field: "expires_at" });
    const cmd = await queueCommand(ctx, { deviceId, commandType: "ping" });
    const cancelled = await cancelCommand(ctx, cmd.commandId);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.cancelledAt).not.toBeNull();
    await expect(cancelCommand(ctx, cmd.commandId)).rejects.toBeInstanceOf(ConflictError);
    expect(await claimPendingCommands(ctx, deviceId)).toEqual([]);
    const { commands, total } = await listCommands(ctx, { deviceId });
    expect(total).toBe(1);
    expect(commands[0]?.status).toBe("cancelled");
  });

  it("records push acknowledgements for the device's own command only", async () => {
    const deviceId = await makeDevice();
    const cmd = await queueCommand(ctx, { deviceId, commandType: "ping" });
    expect(
      await acknowledgePush(ctx, deviceId, { message_id: cmd.commandId, device_id: deviceId, status: "received" }),
    ).toEqual({ matched: true });
    const [row] = await database.db.select().from(deviceCommands).where(eq(deviceCommands.commandId, cmd.commandId));
    expect(row?.ackedAt).not.toBeNull();
    const other = await makeDevice();
    // Another device acknowledging this command is refused (issue 23), not recorded as its acknowledgement.
    await expect(
      acknowledgePush(ctx, other, { message_id: cmd.commandId, device_id: other, status: "received" }),
    ).rejects.toThrow("a command of another device");
    expect(
      await acknowledgePush(ctx, other, { message_id: "push-not-a-command", device_id: other, status: "received" }),
    ).toEqual({ matched: false });
    await expect(
      acknowledgePush(ctx, other, { message_id: cmd.commandId, device_id: deviceId, status: "received" }),
    ).rejects.toMatchObject({ code: "AUTH_002" });
  });
});
