import { commandNudgeTopic, legacyCommandNudgeTopic } from "@homepot/contracts/commands";
import { auditLogs, deviceCommands, devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CommandPushTask } from "../../tasks/command-push.ts";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

let t: TestApp;
let operator: Record<string, string>;
let operatorName: string;
let viewer: Record<string, string>;
let seq = 0;

async function makeDevice(): Promise<string> {
  seq += 1;
  const deviceId = `route-cmd-${process.pid}-${seq}`;
  await t.database.db
    .insert(devices)
    .values({ deviceId, name: `Device ${seq}`, deviceType: "pos_terminal", siteId: "site-x" });
  return deviceId;
}

beforeAll(async () => {
  t = await createTestApp();
  const op = await loginAs(t, "operator");
  operator = op.headers;
  operatorName = op.user.username;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t?.close());

describe("operator command routes", () => {
  it("queues a command (201), lists its lifecycle and cancels it", async () => {
    const deviceId = await makeDevice();
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${deviceId}/commands`,
      headers: operator,
      payload: { command_type: "Run_Health_Check", payload: { reason: "test" }, expires_in_s: 600 },
    });
    expect(res.statusCode).toBe(201);
    const data = res.json().data;
    expect(data).toMatchObject({
      device_id: deviceId,
      command_type: "RUN_HEALTH_CHECK",
      status: "pending",
      payload: { reason: "test" },
    });
    expect(Date.parse(data.expires_at) - Date.parse(data.created_at)).toBe(600_000);
    const [row] = await t.database.db
      .select()
      .from(deviceCommands)
      .where(eq(deviceCommands.commandId, data.command_id));
    expect(row?.status).toBe("pending");

    const list = await t.app.inject({ method: "GET", url: `/api/v1/devices/${deviceId}/commands/`, headers: viewer });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      success: true,
      count: 1,
      total: 1,
      commands: [{ command_id: data.command_id, status: "pending", created_by_username: operatorName }],
    });
    // The audit log names the operator too, not only their number (admin-only list).
    const admin = (await loginAs(t, "admin")).headers;
    const auditList = await t.app.inject({
      method: "GET",
      url: "/api/v1/analytics/audit-logs?event_type=command_queued",
      headers: admin,
    });
    const queuedEvent = auditList
      .json()
      .audit_logs.find(
        (a: { event_metadata: { command_id?: string } }) => a.event_metadata?.command_id === data.command_id,
      );
    expect(queuedEvent).toMatchObject({ username: operatorName });
    expect(typeof queuedEvent.user_id).toBe("number");

    const cancel = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${deviceId}/commands/${data.command_id}/cancel`,
      headers: operator,
    });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().data).toMatchObject({ status: "cancelled" });
    expect(cancel.json().data.cancelled_at).toBeTruthy();
    const again = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${deviceId}/commands/${data.command_id}/cancel`,
      headers: operator,
    });
    expect(again.statusCode).toBe(409);

    const filtered = await t.app.inject({
      method: "GET",
      url: `/api/v1/devices/${deviceId}/commands?status=pending,sent`,
      headers: viewer,
    });
    expect(filtered.json().count).toBe(0);

    const audits = await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "command_queued"));
    const audit = audits.find((a) => (a.eventMetadata as { command_id?: string }).command_id === data.command_id);
    expect(audit?.userId).toBeTypeOf("number");
  });

  it("answers 4xx naming the field for malformed bodies", async () => {
    const deviceId = await makeDevice();
    const url = `/api/v1/devices/${deviceId}/commands`;
    const cases: [unknown, number, string][] = [
      [{}, 422, "command_type"],
      [{ command_type: "self_destruct" }, 422, "command_type"],
      [{ command_type: "ping", payload: [1, 2] }, 422, "payload"],
      [{ command_type: "ping", expires_at: "tomorrow" }, 422, "expires_at"],
      [{ command_type: "ping", expires_in_s: -5 }, 422, "expires_in_s"],
      [{ command_type: "ping", expires_at: "2001-01-01T00:00:00Z" }, 422, "expires_at"],
      [{ command_type: "update_config", payload: {} }, 422, "payload.config_url"],
    ];
    for (const [payload, status, field] of cases) {
      const res = await t.app.inject({ method: "POST", url, headers: operator, payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().detail, JSON.stringify(payload)).toContain(field);
    }
    const missing = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/nope-404/commands",
      headers: operator,
      payload: { command_type: "ping" },
    });
    expect(missing.statusCode).toBe(404);
    const bad = await t.app.inject({ method: "GET", url: `${url}?status=bogus`, headers: viewer });
    expect(bad.statusCode).toBe(400);
  });

  it("requires an operator to queue and cancel, a viewer to read", async () => {
    const deviceId = await makeDevice();
    await expectRequiresRole(
      t,
      { method: "POST", url: `/api/v1/devices/${deviceId}/commands`, payload: { command_type: "ping" } },
      "operator",
    );
    await expectRequiresRole(
      t,
      { method: "POST", url: `/api/v1/devices/${deviceId}/commands/cmd-x/cancel` },
      "operator",
    );
    await expectRequiresRole(t, { method: "GET", url: `/api/v1/devices/${deviceId}/commands` }, "viewer");
  });
});

describe("MQTT push", () => {
  it("publishes a nudge without payload or secrets on the device's topics (ours and the original's) when a command is queued", async () => {
    const url = "mqtt://127.0.0.1:1883";
    const deviceId = await makeDevice();
    const task = new CommandPushTask(url);
    const subscriber = await mqtt.connectAsync(url, { clientId: `test-sub-${process.pid}-${Date.now()}` });
    try {
      task.start(t.app);
      await subscriber.subscribeAsync([commandNudgeTopic(deviceId), legacyCommandNudgeTopic(deviceId)], { qos: 1 });
      const messages: { topic: string; body: Record<string, unknown> }[] = [];
      const received = new Promise<typeof messages>((resolve) => {
        subscriber.on("message", (topic, message) => {
          messages.push({ topic, body: JSON.parse(message.toString()) });
          if (messages.length === 2) resolve(messages);
        });
      });
      // Wait for the task's own connection, so the nudge is not skipped.
      for (let i = 0; i < 100 && !(task as unknown as { client?: { connected: boolean } }).client?.connected; i++)
        await new Promise((r) => setTimeout(r, 50));
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/devices/${deviceId}/commands`,
        headers: operator,
        payload: {
          command_type: "update_config",
          payload: { config_url: "http://example.invalid/c.json", secret_token: "s3cr3t" },
        },
      });
      expect(res.statusCode).toBe(201);
      const got = await received;
      expect(got.map((m) => m.topic).sort()).toEqual([
        `devices/${deviceId}/commands`,
        `homepot/devices/${deviceId}/commands`,
      ]);
      for (const { body } of got) {
        expect(body).toMatchObject({
          type: "commands_pending",
          device_id: deviceId,
          message_id: res.json().data.command_id,
        });
        expect(JSON.stringify(body)).not.toContain("s3cr3t");
        expect(JSON.stringify(body)).not.toContain("config_url");
      }
      await vi.waitFor(() => expect(task.stats.published).toBeGreaterThanOrEqual(2));
    } finally {
      await task.stop();
      await subscriber.endAsync();
    }
  });

  it("keeps queuing when the broker is unreachable", async () => {
    const deviceId = await makeDevice();
    const task = new CommandPushTask("mqtt://127.0.0.1:1");
    task.start(t.app);
    try {
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/devices/${deviceId}/commands`,
        headers: operator,
        payload: { command_type: "ping" },
      });
      expect(res.statusCode).toBe(201);
      const [row] = await t.database.db
        .select()
        .from(deviceCommands)
        .where(eq(deviceCommands.commandId, res.json().data.command_id));
      expect(row?.status).toBe("pending");
      expect(task.stats.skipped).toBeGreaterThanOrEqual(1);
    } finally {
      await task.stop();
    }
  });
});
