import { auditLogs, deviceCommands, devices } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice } from "../devices/device-factories.ts";

let t: TestApp;
let admin: Record<string, string>;
let operator: Record<string, string>;
let viewer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  admin = (await loginAs(t, "admin")).headers;
  operator = (await loginAs(t, "operator")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t?.close());

async function linuxDevice() {
  const dev = await makeDevice(t);
  await t.database.db
    .update(devices)
    .set({ osFamily: "linux", osDetails: "Ubuntu 24.04" })
    .where(eq(devices.deviceId, dev.device.deviceId));
  return dev;
}
const queue = (deviceId: string, body: object, headers = operator) =>
  t.app.inject({ method: "POST", url: `/api/v1/devices/${deviceId}/commands`, headers, payload: body });
const grant = (dev: { device: { deviceId: string }; headers: Record<string, string> }, permissions: object) =>
  t.app.inject({
    method: "PATCH",
    url: `/api/v1/devices/device/${dev.device.deviceId}/permissions`,
    headers: dev.headers,
    payload: { permissions },
  });

describe("command lifecycle", () => {
  it("queued → sent → acknowledged → executed → completed, each stamped, under both list paths", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    const queued = await queue(id, { command_type: "status_request" });
    expect(queued.statusCode, queued.body).toBe(201);
    const cmd = queued.json().data;
    expect(cmd).toMatchObject({ command_type: "STATUS_REQUEST", lifecycle: "queued", executed_at: null });
    await t.app.inject({ method: "GET", url: "/api/v1/devices/pending", headers: dev.headers });
    const ack = (status?: string) =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/devices/${id}/commands/${cmd.command_id}/ack`,
        headers: dev.headers,
        payload: status ? { status } : {},
      });
    const acked = await ack();
    expect(acked.statusCode, acked.body).toBe(200);
    expect(acked.json().data).toMatchObject({ lifecycle: "acknowledged", acked_at: expect.any(String) });
    const running = await ack("executing");
    expect(running.json().data).toMatchObject({ lifecycle: "executed", executed_at: expect.any(String) });
    const report = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/commands/${cmd.command_id}/result`,
      headers: dev.headers,
      payload: { status: "completed", result: { uptime_seconds: 12 } },
    });
    expect(report.json().data).toMatchObject({ status: "succeeded", lifecycle: "completed" });
    expect((await ack()).json().data.lifecycle).toBe("completed");

    for (const url of [`/api/v1/devices/${id}/commands`, `/api/v1/devices/device/${id}/commands`]) {
      const list = await t.app.inject({ method: "GET", url, headers: viewer });
      expect(list.statusCode, url).toBe(200);
      const [row] = list.json().commands;
      for (const k of ["created_at", "sent_at", "acked_at", "executed_at", "completed_at"])
        expect(row[k], k).toBeTruthy();
    }
    const events = await t.database.db.select().from(auditLogs).where(eq(auditLogs.deviceId, dev.device.id));
    expect(events.map((e) => e.eventType)).toEqual(
      expect.arrayContaining(["command_acknowledged", "command_executing", "command_succeeded"]),
    );
  });

  it("a device never acknowledges another device's command; a bad ack status is a 422", async () => {
    const a = await makeDevice(t);
    const b = await makeDevice(t);
    const cmd = (await queue(b.device.deviceId, { command_type: "PING" })).json().data;
    const viaOwnPath = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${a.device.deviceId}/commands/${cmd.command_id}/ack`,
      headers: a.headers,
      payload: {},
    });
    expect(viaOwnPath.statusCode).toBe(404);
    const viaOtherPath = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${b.device.deviceId}/commands/${cmd.command_id}/ack`,
      headers: a.headers,
      payload: {},
    });
    expect(viaOtherPath.statusCode).toBe(403);
    const [row] = await t.database.db.select().from(deviceCommands).where(eq(deviceCommands.commandId, cmd.command_id));
    expect(row?.ackedAt).toBeNull();
    const bad = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${b.device.deviceId}/commands/${cmd.command_id}/ack`,
      headers: b.headers,
      payload: { status: "exploded" },
    });
    expect(bad.statusCode).toBe(422);
    const asUser = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${b.device.deviceId}/commands/${cmd.command_id}/ack`,
      headers: operator,
      payload: {},
    });
    expect(asUser.statusCode).toBe(401);
  });
});

describe("permissions and consent", () => {
  it("nothing is granted at first; the device grants within its OS's capabilities; operators read, viewers do not", async () => {
    const dev = await linuxDevice();
    const id = dev.device.deviceId;
    const url = `/api/v1/devices/device/${id}/permissions`;
    const first = await t.app.inject({ method: "GET", url, headers: dev.headers });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      status: "success",
      data: { device_id: id, os_family: "linux", permissions: { command_execution: false, root_access: false } },
    });
    expect(first.json().data.capabilities.root_access).toBe(true);

    const granted = await grant(dev, { command_execution: true, process_monitoring: true });
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json().data.permissions).toEqual({
      root_access: false,
      command_execution: true,
      process_monitoring: true,
      filesystem_access: false,
      network_monitoring: false,
    });
    const read = await t.app.inject({ method: "GET", url, headers: operator });
    expect(read.json().data.permissions.command_execution).toBe(true);
    await expectRequiresRole(t, { method: "GET", url }, "operator");
    const typo = await grant(dev, { command_exec: true });
    expect(typo.statusCode).toBe(422);
  });

  it("an OS that cannot do it refuses the grant (422 naming it); an unknown OS supports nothing until the agent says", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    const unknown = await grant(dev, { command_execution: true });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain("command_execution");
    const windows = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/devices/device/${id}/permissions`,
      headers: dev.headers,
      payload: { permissions: { command_execution: true }, os_details: "Windows 11 Pro" },
    });
    expect(windows.statusCode, windows.body).toBe(200);
    expect(windows.json().data.os_family).toBe("windows");
    const root = await grant(dev, { root_access: true });
    expect(root.statusCode).toBe(422);
    expect(root.body).toContain("root_access");
  });

  it("a device can neither read nor change another device's permissions", async () => {
    const a = await linuxDevice();
    const b = await linuxDevice();
    const url = `/api/v1/devices/device/${b.device.deviceId}/permissions`;
    expect((await t.app.inject({ method: "GET", url, headers: a.headers })).statusCode).toBe(403);
    const write = await t.app.inject({
      method: "PATCH",
      url,
      headers: a.headers,
      payload: { permissions: { command_execution: true } },
    });
    expect(write.statusCode).toBe(403);
    const stillNone = await t.app.inject({ method: "GET", url, headers: b.headers });
    expect(stillNone.json().data.permissions.command_execution).toBe(false);
    const asOperator = await t.app.inject({
      method: "PATCH",
      url,
      headers: operator,
      payload: { permissions: { command_execution: true } },
    });
    expect(asOperator.statusCode).toBe(401);
  });

  it("the server refuses a terminal command without its grant: 403 with missing_permissions, nothing queued", async () => {
    const dev = await linuxDevice();
    const id = dev.device.deviceId;
    const refused = await queue(id, { command_type: "run_command", payload: { command: "uptime" } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().missing_permissions).toEqual(["command_execution"]);
    await grant(dev, { command_execution: true });
    const ok = await queue(id, { command_type: "RUN_COMMAND", payload: { command: "uptime" } });
    expect(ok.statusCode, ok.body).toBe(201);
    const asRoot = await queue(id, { command_type: "run_command", payload: { command: "whoami", run_as_root: true } });
    expect(asRoot.statusCode).toBe(403);
    expect(asRoot.json().missing_permissions).toEqual(["root_access"]);
    const rows = await t.database.db
      .select()
      .from(deviceCommands)
      .where(and(eq(deviceCommands.deviceId, id), eq(deviceCommands.commandType, "RUN_COMMAND")));
    expect(rows).toHaveLength(1);
    const [audit] = await t.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.deviceId, dev.device.id), eq(auditLogs.eventType, "command_queued")));
    expect(audit?.userId).not.toBeNull();
    expect(audit?.eventMetadata).toMatchObject({ typed: "uptime", run_as_root: false });
    const asViewer = await queue(id, { command_type: "run_command", payload: { command: "uptime" } }, viewer);
    expect(asViewer.statusCode).toBe(403);
  });

  it("terminal and permission-request payloads are checked, naming the field", async () => {
    const dev = await linuxDevice();
    const id = dev.device.deviceId;
    await grant(dev, { command_execution: true });
    const cases: [object, string][] = [
      [{ command_type: "run_command", payload: {} }, "payload.command"],
      [{ command_type: "run_script", payload: { script: "" } }, "payload.script"],
      [{ command_type: "run_command", payload: { command: "ls", timeout_s: 301 } }, "payload.timeout_s"],
      [{ command_type: "request_permission", payload: { permission: "everything" } }, "payload.permission"],
    ];
    for (const [body, field] of cases) {
      const res = await queue(id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json().errors[0].field).toBe(field);
    }
    const ask = await queue(id, { command_type: "request_permission", payload: { permission: "root_access" } });
    expect(ask.statusCode).toBe(201);
  });

  it("an admin override is audited with old and new grants and the reason; operators cannot override", async () => {
    const dev = await linuxDevice();
    const url = `/api/v1/devices/device/${dev.device.deviceId}/permissions/admin-override`;
    const payload = { permissions: { process_monitoring: true }, reason: "ticket 4711" };
    await expectRequiresRole(t, { method: "PATCH", url, payload }, "admin");
    const res = await t.app.inject({ method: "PATCH", url, headers: admin, payload });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ updated_via: "admin_override", permissions: { process_monitoring: true } });
    const [audit] = await t.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.deviceId, dev.device.id), eq(auditLogs.eventType, "device_permissions_override")));
    expect(audit).toMatchObject({
      oldValues: expect.objectContaining({ process_monitoring: false }),
      newValues: expect.objectContaining({ process_monitoring: true }),
      eventMetadata: { reason: "ticket 4711" },
    });
  });
});
