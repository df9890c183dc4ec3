import { commandNudgeTopic } from "@homepot/contracts/commands";
import { auditLogs, deviceCommands, errorLogs } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandPushTask } from "../../tasks/command-push.ts";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice } from "../devices/device-factories.ts";

let now = new Date();
const clock = { now: () => now };
let t: TestApp;
let operator: Record<string, string>;
let viewer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  operator = (await loginAs(t, "operator")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t?.close());

async function queue(deviceId: string, body: Record<string, unknown>) {
  const res = await t.app.inject({
    method: "POST",
    url: `/api/v1/devices/${deviceId}/commands`,
    headers: operator,
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { command_id: string };
}

describe("device side of the command queue", () => {
  it("round trip by polling: queue → pending (bare array, lowercase) marks sent → result → lifecycle", async () => {
    const dev = await makeDevice(t);
    const cmd = await queue(dev.device.deviceId, {
      command_type: "UPDATE_CONFIG",
      payload: { config_url: "https://cfg.example/pos.json", config_version: "2.1" },
    });

    const poll = await t.app.inject({ method: "GET", url: "/api/v1/devices/pending", headers: dev.headers });
    expect(poll.statusCode).toBe(200);
    const body = poll.json();
    expect(Array.isArray(body)).toBe(true);
    expect(body).toEqual([
      {
        command_id: cmd.command_id,
        command_type: "update_config",
        payload: { config_url: "https://cfg.example/pos.json", config_version: "2.1" },
        created_at: expect.any(String),
        expires_at: expect.any(String),
      },
    ]);
    const [sent] = await t.database.db
      .select()
      .from(deviceCommands)
      .where(eq(deviceCommands.commandId, cmd.command_id));
    expect(sent?.status).toBe("sent");
    expect(sent?.sentAt).not.toBeNull();
    const again = await t.app.inject({ method: "GET", url: "/api/v1/devices/pending/", headers: dev.headers });
    expect(again.json()).toEqual([]);

    const report = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/commands/${cmd.command_id}/result`,
      headers: dev.headers,
      payload: { status: "succeeded", result: { config_version: "2.1" } },
    });
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json().data).toMatchObject({ status: "succeeded", result: { config_version: "2.1" } });

    const list = await t.app.inject({
      method: "GET",
      url: `/api/v1/devices/${dev.device.deviceId}/commands`,
      headers: viewer,
    });
    const [row] = list.json().commands;
    expect(row).toMatchObject({ command_id: cmd.command_id, status: "succeeded", command_type: "UPDATE_CONFIG" });
    for (const k of ["created_at", "sent_at", "completed_at"]) expect(row[k], k).toBeTruthy();

    const metrics = await t.app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.body).toMatch(
      /homepot_commands_total\{event="finished",command_type="UPDATE_CONFIG",status="succeeded"\} [1-9]/,
    );

    const audits = await t.database.db
      .select({ type: auditLogs.eventType, meta: auditLogs.eventMetadata, deviceId: auditLogs.deviceId })
      .from(auditLogs);
    const mine = audits.filter((a) => (a.meta as { command_id?: string } | null)?.command_id === cmd.command_id);
    expect(mine.map((a) => a.type)).toEqual(["command_queued", "command_sent", "command_succeeded"]);
    expect(mine.every((a) => a.deviceId === dev.device.id)).toBe(true);
    expect((mine[2]?.meta as { actor_device_id?: string } | undefined)?.actor_device_id).toBe(dev.device.deviceId);
  });

  it("compat PUT /devices/{command_id}/status: completed means succeeded; failed writes error_logs", async () => {
    const dev = await makeDevice(t);
    const a = await queue(dev.device.deviceId, { command_type: "ping" });
    const b = await queue(dev.device.deviceId, { command_type: "reboot" });
    const poll = await t.app.inject({ method: "GET", url: "/api/v1/devices/pending", headers: dev.headers });
    expect(poll.json().map((c: { command_type: string }) => c.command_type)).toEqual(["ping", "reboot"]);
    const ok = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${a.command_id}/status`,
      headers: dev.headers,
      payload: { status: "completed", result: { pong: true } },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().data.status).toBe("succeeded");
    const bad = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${b.command_id}/status`,
      headers: dev.headers,
      payload: { status: "FAILED", result: { error: "not permitted" } },
    });
    expect(bad.json().data).toMatchObject({ status: "failed", error_message: "not permitted" });
    const errors = await t.database.db
      .select()
      .from(errorLogs)
      .where(and(eq(errorLogs.deviceId, dev.device.deviceId), eq(errorLogs.errorCode, "COMMAND_FAIL_001")));
    expect(errors).toHaveLength(1);
    const conflict = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${b.command_id}/status`,
      headers: dev.headers,
      payload: { status: "completed" },
    });
    expect(conflict.statusCode).toBe(409);
  });

  it("a device can neither read nor report another device's commands", async () => {
    const mine = await makeDevice(t);
    const other = await makeDevice(t);
    const cmd = await queue(mine.device.deviceId, { command_type: "ping" });
    const otherPoll = await t.app.inject({ method: "GET", url: "/api/v1/devices/pending", headers: other.headers });
    expect(otherPoll.json()).toEqual([]);
    for (const req of [
      {
        method: "POST" as const,
        url: `/api/v1/devices/commands/${cmd.command_id}/result`,
        payload: { status: "succeeded" },
      },
      { method: "PUT" as const, url: `/api/v1/devices/${cmd.command_id}/status`, payload: { status: "completed" } },
    ]) {
      const res = await t.app.inject({ ...req, headers: other.headers });
      expect(res.statusCode, req.url).toBe(404);
    }
    // Someone else's key with my id is refused outright.
    const forged = await t.app.inject({
      method: "GET",
      url: "/api/v1/devices/pending",
      headers: { "x-device-id": mine.device.deviceId, "x-api-key": other.apiKey },
    });
    expect(forged.statusCode).toBe(401);
    const [row] = await t.database.db.select().from(deviceCommands).where(eq(deviceCommands.commandId, cmd.command_id));
    expect(row?.status).toBe("pending");
    const ack = await t.app.inject({
      method: "POST",
      url: "/api/v1/push/ack",
      headers: other.headers,
      payload: { message_id: cmd.command_id, device_id: mine.device.deviceId, status: "received" },
    });
    expect(ack.statusCode).toBe(403);
    // Naming itself does not help: the command is not its own, so nothing is acked and nothing audited.
    const ownName = await t.app.inject({
      method: "POST",
      url: "/api/v1/push/ack",
      headers: other.headers,
      payload: { message_id: cmd.command_id, device_id: other.device.deviceId, status: "received" },
    });
    expect(ownName.statusCode).toBe(403);
    const [after] = await t.database.db
      .select()
      .from(deviceCommands)
      .where(eq(deviceCommands.commandId, cmd.command_id));
    expect(after?.ackedAt).toBeNull();
    const audits = await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "push_ack"));
    expect(audits.some((a) => (a.eventMetadata as { message_id?: string }).message_id === cmd.command_id)).toBe(false);
  });

  it("requires device credentials; a user token is not a device, and /devices/pending is not a device id", async () => {
    for (const req of [
      { method: "GET" as const, url: "/api/v1/devices/pending" },
      { method: "POST" as const, url: "/api/v1/devices/commands/cmd-x/result", payload: { status: "succeeded" } },
      { method: "PUT" as const, url: "/api/v1/devices/cmd-x/status", payload: { status: "completed" } },
    ]) {
      expect((await t.app.inject(req)).statusCode, `${req.method} ${req.url}`).toBe(401);
      expect(
        (await t.app.inject({ ...req, headers: operator })).statusCode,
        `${req.method} ${req.url} as operator`,
      ).toBe(401);
    }
  });

  it("push/ack wants a device key or a user token (the original's tools send an operator's, issue 15)", async () => {
    const req = { method: "POST" as const, url: "/api/v1/push/ack", payload: { message_id: "m", device_id: "d" } };
    expect((await t.app.inject(req)).statusCode).toBe(401);
    const asOperator = await t.app.inject({ ...req, headers: operator });
    expect(asOperator.statusCode).toBe(200);
    expect(asOperator.json().message).toBe("Acknowledgement recorded");
  });

  it("answers 422 naming the field for malformed result bodies", async () => {
    const dev = await makeDevice(t);
    const cmd = await queue(dev.device.deviceId, { command_type: "ping" });
    const url = `/api/v1/devices/commands/${cmd.command_id}/result`;
    for (const [payload, field] of [
      [{}, "status"],
      [{ status: "done" }, "status"],
      [{ status: "failed", error_message: 5 }, "error_message"],
    ] as const) {
      const res = await t.app.inject({ method: "POST", url, headers: dev.headers, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().detail).toContain(field);
    }
    const notJson = await t.app.inject({
      method: "POST",
      url,
      headers: { ...dev.headers, "content-type": "application/json" },
      payload: "{oops",
    });
    expect(notJson.statusCode).toBe(400);
    const ack = await t.app.inject({
      method: "POST",
      url: "/api/v1/push/ack",
      headers: dev.headers,
      payload: { device_id: dev.device.deviceId },
    });
    expect(ack.statusCode).toBe(422);
    expect(ack.json().detail).toContain("message_id");
  });

  it("never hands out an expired command, and marks it expired", async () => {
    const dev = await makeDevice(t);
    const short = await queue(dev.device.deviceId, { command_type: "reboot", expires_in_s: 60 });
    const long = await queue(dev.device.deviceId, { command_type: "ping", expires_in_s: 3600 });
    now = new Date(now.getTime() + 120_000);
    const poll = await t.app.inject({ method: "GET", url: "/api/v1/devices/pending", headers: dev.headers });
    expect(poll.json().map((c: { command_id: string }) => c.command_id)).toEqual([long.command_id]);
    const list = await t.app.inject({
      method: "GET",
      url: `/api/v1/devices/${dev.device.deviceId}/commands?status=expired`,
      headers: viewer,
    });
    expect(list.json().commands.map((c: { command_id: string }) => c.command_id)).toEqual([short.command_id]);
    const late = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/commands/${short.command_id}/result`,
      headers: dev.headers,
      payload: { status: "succeeded" },
    });
    expect(late.statusCode).toBe(409);
  });

  it("records push acks against the device's command", async () => {
    const dev = await makeDevice(t);
    const cmd = await queue(dev.device.deviceId, { command_type: "ping" });
    const ack = await t.app.inject({
      method: "POST",
      url: "/api/v1/push/ack",
      headers: dev.headers,
      payload: { message_id: cmd.command_id, device_id: dev.device.deviceId, status: "delivered" },
    });
    expect(ack.statusCode).toBe(200);
    const [row] = await t.database.db.select().from(deviceCommands).where(eq(deviceCommands.commandId, cmd.command_id));
    expect(row?.ackedAt).not.toBeNull();
  });

  it("round trip by MQTT nudge: the device hears the nudge, polls, and reports", async () => {
    const url = "mqtt://127.0.0.1:1883";
    const dev = await makeDevice(t);
    const task = new CommandPushTask(url);
    const device = await mqtt.connectAsync(url, { clientId: `dev-${dev.device.deviceId}` });
    try {
      task.start(t.app);
      await device.subscribeAsync(commandNudgeTopic(dev.device.deviceId), { qos: 1 });
      for (let i = 0; i < 100 && !(task as unknown as { client?: { connected: boolean } }).client?.connected; i++)
        await new Promise((r) => setTimeout(r, 50));
      const done = new Promise<number>((resolve, reject) => {
        device.on("message", async () => {
          try {
            const poll = await t.app.inject({ method: "GET", url: "/api/v1/devices/pending", headers: dev.headers });
            const [c] = poll.json();
            const res = await t.app.inject({
              method: "POST",
              url: `/api/v1/devices/commands/${c.command_id}/result`,
              headers: dev.headers,
              payload: { status: "succeeded" },
            });
            resolve(res.statusCode);
          } catch (error) {
            reject(error);
          }
        });
      });
      const cmd = await queue(dev.device.deviceId, { command_type: "run_health_check" });
      expect(await done).toBe(200);
      const [row] = await t.database.db
        .select()
        .from(deviceCommands)
        .where(eq(deviceCommands.commandId, cmd.command_id));
      expect(row?.status).toBe("succeeded");
    } finally {
      await task.stop();
      await device.endAsync();
    }
  });
});
