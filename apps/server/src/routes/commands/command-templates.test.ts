import { auditLogs, deviceCommands, devices } from "@homepot/db";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice, makeSite } from "../devices/device-factories.ts";

let t: TestApp;
let operator: Record<string, string>;
let viewer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  operator = (await loginAs(t, "operator")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t?.close());

type Json = any;
const call = (method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object, headers = operator) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
const fieldsOf = (res: { json(): Json }) => (res.json().errors ?? []).map((e: { field: string }) => e.field);
let n = 0;
const uniqueName = (what: string) => `${what} ${process.pid}-${++n}`;

async function linuxDevice(siteId?: string) {
  const dev = await makeDevice(t, siteId ? { siteId } : {});
  await t.database.db.update(devices).set({ osFamily: "linux" }).where(eq(devices.deviceId, dev.device.deviceId));
  return dev;
}

describe("command templates", () => {
  it("are created, listed, read, edited and deleted, each audited; names are unique in any case", async () => {
    const name = uniqueName("Update POS payment config");
    const created = await call("POST", "/command-templates", {
      name,
      description: "Sets the payment timeout",
      command_type: "update-config",
      payload: { config_version: "{{version}}", config: { payment_timeout_s: "{{timeout}}" } },
      parameters: [{ name: "version" }, { name: "timeout", default: "45", required: false }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const tpl = created.json().data;
    expect(tpl).toMatchObject({
      template_id: expect.stringMatching(/^tpl-/),
      name,
      command_type: "update_config",
      parameters: [
        { name: "version", required: true },
        { name: "timeout", default: "45", required: false },
      ],
      created_by: expect.any(String),
    });

    const again = await call("POST", "/command-templates", { name: name.toUpperCase(), command_type: "ping" });
    expect(again.statusCode).toBe(409);

    const list = await call("GET", "/command-templates", undefined, viewer);
    expect(list.statusCode).toBe(200);
    expect(list.json().templates.map((x: Json) => x.template_id)).toContain(tpl.template_id);
    const read = await call("GET", `/command-templates/${tpl.template_id}`, undefined, viewer);
    expect(read.json().data).toEqual(tpl);

    const edited = await call("PATCH", `/command-templates/${tpl.template_id}`, { description: "45 s timeout" });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().data).toMatchObject({ description: "45 s timeout", payload: tpl.payload });
    // Dropping a parameter the payload still uses is refused as a whole.
    const broken = await call("PATCH", `/command-templates/${tpl.template_id}`, { parameters: [{ name: "version" }] });
    expect(broken.statusCode).toBe(422);
    expect(fieldsOf(broken)).toContain("parameters");

    const gone = await call("DELETE", `/command-templates/${tpl.template_id}`);
    expect(gone.statusCode).toBe(200);
    expect((await call("GET", `/command-templates/${tpl.template_id}`, undefined, viewer)).statusCode).toBe(404);
    expect((await call("DELETE", `/command-templates/${tpl.template_id}`)).statusCode).toBe(404);

    const audits = await t.database.db
      .select({ type: auditLogs.eventType })
      .from(auditLogs)
      .where(
        inArray(auditLogs.eventType, [
          "command_template_created",
          "command_template_updated",
          "command_template_deleted",
        ]),
      );
    expect(audits.map((a) => a.type)).toEqual(
      expect.arrayContaining(["command_template_created", "command_template_updated", "command_template_deleted"]),
    );
  });

  it("refuses bad templates with a 4xx naming the field", async () => {
    const undeclared = await call("POST", "/command-templates", {
      name: uniqueName("Bad"),
      command_type: "run_command",
      payload: { command: "systemctl restart {{service}}" },
    });
    expect(undeclared.statusCode).toBe(422);
    expect(fieldsOf(undeclared)).toContain("parameters");
    const noCommand = await call("POST", "/command-templates", {
      name: uniqueName("Bad"),
      command_type: "run_command",
      payload: {},
    });
    expect(noCommand.statusCode).toBe(422);
    expect(fieldsOf(noCommand)).toContain("payload.command");
    const badType = await call("POST", "/command-templates", { name: uniqueName("Bad"), command_type: "explode" });
    expect(badType.statusCode).toBe(422);
    expect(fieldsOf(badType)).toContain("command_type");
    const twice = await call("POST", "/command-templates", {
      name: uniqueName("Bad"),
      command_type: "ping",
      parameters: [{ name: "a" }, { name: "a" }],
    });
    expect(twice.statusCode).toBe(422);
    expect(fieldsOf(twice)).toContain("parameters.1.name");
  });

  it("runs on a selection with the parameters filled in, each command queued as if sent by hand", async () => {
    const a = await makeDevice(t);
    const b = await makeDevice(t);
    const tpl = (
      await call("POST", "/command-templates", {
        name: uniqueName("Set firmware"),
        command_type: "update_firmware",
        payload: { firmware_version: "{{version}}", notes: "to {{version}} by {{who}}" },
        parameters: [{ name: "version" }, { name: "who", default: "ops" }],
      })
    ).json().data;
    const url = `/command-templates/${tpl.template_id}/run`;

    const missing = await call("POST", url, { device_ids: [a.device.deviceId] });
    expect(missing.statusCode).toBe(422);
    expect(fieldsOf(missing)).toContain("params.version");
    const unknown = await call("POST", url, {
      device_ids: [a.device.deviceId],
      params: { version: "1", colour: "red" },
    });
    expect(unknown.statusCode).toBe(422);
    expect(fieldsOf(unknown)).toContain("params.colour");
    const noTarget = await call("POST", url, { params: { version: "1" } });
    expect(noTarget.statusCode).toBe(422);
    expect(fieldsOf(noTarget)).toContain("device_ids");

    const ran = await call("POST", url, {
      device_ids: [a.device.deviceId, b.device.deviceId, "pos-does-not-exist"],
      params: { version: "3.1.0" },
    });
    expect(ran.statusCode, ran.body).toBe(200);
    const run = ran.json().data;
    expect(run.payload).toEqual({ firmware_version: "3.1.0", notes: "to 3.1.0 by ops" });
    expect(run.queued.map((q: Json) => q.device_id)).toEqual([a.device.deviceId, b.device.deviceId]);
    expect(run.failed).toEqual([
      { device_id: "pos-does-not-exist", error: expect.stringContaining("not found"), code: "NOT_FOUND_001" },
    ]);
    const rows = await t.database.db
      .select()
      .from(deviceCommands)
      .where(
        inArray(
          deviceCommands.commandId,
          run.queued.map((q: Json) => q.command_id as string),
        ),
      );
    expect(rows.map((r) => [r.commandType, r.payload, r.status])).toEqual([
      ["UPDATE_FIRMWARE", run.payload, "pending"],
      ["UPDATE_FIRMWARE", run.payload, "pending"],
    ]);
    const queuedAudits = await t.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.eventType, "command_queued"), eq(auditLogs.deviceId, a.device.id)));
    expect(queuedAudits).toHaveLength(1);
  });

  it("runs on every active device of a site; a device without the owner's grant is reported, not queued", async () => {
    const site = await makeSite(t);
    const granted = await linuxDevice(site.siteId);
    const refusing = await linuxDevice(site.siteId);
    const grant = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/devices/device/${granted.device.deviceId}/permissions`,
      headers: granted.headers,
      payload: { permissions: { command_execution: true } },
    });
    expect(grant.statusCode, grant.body).toBe(200);
    const other = await linuxDevice();
    const tpl = (
      await call("POST", "/command-templates", {
        name: uniqueName("Restart service"),
        command_type: "run_command",
        payload: { command: "systemctl restart {{service}}", timeout_s: 30 },
        parameters: [{ name: "service", description: "the unit to restart" }],
      })
    ).json().data;
    const ran = await call("POST", `/command-templates/${tpl.template_id}/run`, {
      site_id: site.siteId,
      params: { service: "pos" },
    });
    expect(ran.statusCode, ran.body).toBe(200);
    const run = ran.json().data;
    expect(run.queued).toEqual([{ device_id: granted.device.deviceId, command_id: expect.any(String) }]);
    expect(run.failed).toEqual([
      {
        device_id: refusing.device.deviceId,
        error: expect.any(String),
        code: "AUTH_002",
        missing_permissions: ["command_execution"],
      },
    ]);
    const otherRows = await t.database.db
      .select()
      .from(deviceCommands)
      .where(eq(deviceCommands.deviceId, other.device.deviceId));
    expect(otherRows).toEqual([]);
    const empty = await call("POST", `/command-templates/${tpl.template_id}/run`, {
      site_id: "site-without-devices",
      params: { service: "pos" },
    });
    // A site that does not exist (or belongs to another tenant) is not found, naming the field.
    expect(empty.statusCode).toBe(404);
    expect(empty.body).toContain("site_id");
    const runAudit = await t.database.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.eventType, "command_template_run"));
    expect(runAudit.some((r) => (r.eventMetadata as Json).template_id === tpl.template_id)).toBe(true);
  });
});

describe("the fleet-wide command history", () => {
  it("lists every device's commands newest first with site and sender, filtered by status, type, site, device and time, paged", async () => {
    const site = await makeSite(t);
    const a = await makeDevice(t, { siteId: site.siteId });
    const b = await makeDevice(t);
    const queue = (deviceId: string, command_type: string) =>
      call("POST", `/devices/${deviceId}/commands`, { command_type });
    const first = (await queue(a.device.deviceId, "ping")).json().data;
    await queue(a.device.deviceId, "reboot");
    await queue(b.device.deviceId, "ping");
    await call("POST", `/devices/${a.device.deviceId}/commands/${first.command_id}/cancel`);

    const all = await call("GET", "/commands?limit=1000", undefined, viewer);
    expect(all.statusCode, all.body).toBe(200);
    const mine = all.json().commands.filter((c: Json) => [a.device.deviceId, b.device.deviceId].includes(c.device_id));
    expect(mine.map((c: Json) => c.command_type)).toEqual(["PING", "REBOOT", "PING"]);
    expect(mine[0]).toMatchObject({ site_id: b.siteId, created_by_username: expect.any(String) });

    const bySite = (await call("GET", `/commands?site_id=${site.siteId}`, undefined, viewer)).json();
    expect(bySite.total).toBe(2);
    expect(bySite.commands.every((c: Json) => c.site_id === site.siteId)).toBe(true);
    const cancelled = (
      await call("GET", `/commands?site_id=${site.siteId}&status=cancelled`, undefined, viewer)
    ).json();
    expect(cancelled.commands.map((c: Json) => c.command_id)).toEqual([first.command_id]);
    const reboots = (
      await call("GET", `/commands?site_id=${site.siteId}&command_type=reboot`, undefined, viewer)
    ).json();
    expect(reboots.commands.map((c: Json) => c.command_type)).toEqual(["REBOOT"]);
    const byDevice = (await call("GET", `/commands?device_id=${b.device.deviceId}`, undefined, viewer)).json();
    expect(byDevice.total).toBe(1);
    const paged = (await call("GET", `/commands?site_id=${site.siteId}&limit=1&offset=1`, undefined, viewer)).json();
    expect(paged).toMatchObject({ count: 1, total: 2 });
    expect(paged.commands[0].command_id).toBe(first.command_id);
    const future = new Date(Date.now() + 3600_000).toISOString();
    const none = (await call("GET", `/commands?site_id=${site.siteId}&since=${future}`, undefined, viewer)).json();
    expect(none.total).toBe(0);
    const past = (await call("GET", `/commands?site_id=${site.siteId}&until=${future}`, undefined, viewer)).json();
    expect(past.total).toBe(2);

    const badStatus = await call("GET", "/commands?status=exploded", undefined, viewer);
    expect(badStatus.statusCode).toBe(400);
    const badType = await call("GET", "/commands?command_type=explode", undefined, viewer);
    expect(badType.statusCode).toBe(400);
    const backwards = await call("GET", `/commands?since=${future}&until=2020-01-01`, undefined, viewer);
    expect(backwards.statusCode).toBe(422);
    expect(fieldsOf(backwards)).toContain("since");
  });
});

describe("security", () => {
  it("viewers read; operators write and run; nobody anonymous", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/commands" }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/command-templates" }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/command-templates/tpl-x" }, "viewer");
    await expectRequiresRole(
      t,
      { method: "POST", url: "/api/v1/command-templates", payload: { name: "x", command_type: "ping" } },
      "operator",
    );
    await expectRequiresRole(
      t,
      { method: "PATCH", url: "/api/v1/command-templates/tpl-x", payload: { name: "y" } },
      "operator",
    );
    await expectRequiresRole(t, { method: "DELETE", url: "/api/v1/command-templates/tpl-x" }, "operator");
    await expectRequiresRole(
      t,
      { method: "POST", url: "/api/v1/command-templates/tpl-x/run", payload: { site_id: "s" } },
      "operator",
    );
    const device = await makeDevice(t);
    const asDevice = await t.app.inject({ method: "GET", url: "/api/v1/commands", headers: device.headers });
    expect(asDevice.statusCode).toBe(401);
  });
});
