import { type DeviceLifecycleChanged, lifecycleBus } from "@homepot/core/devices/lifecycle-bus";
import {
  auditLogs,
  deviceCommands,
  deviceEpochs,
  deviceLifecycleEvents,
  deviceStateHistory,
  devices,
  healthChecks,
} from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice, makeSite } from "./device-factories.ts";

let t: TestApp;
let operator: Record<string, string>;
let admin: Record<string, string>;
let viewer: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  operator = (await loginAs(t, "operator")).headers;
  admin = (await loginAs(t, "admin")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t.close());

const healthy = { status: "healthy", response_time_ms: 12, metrics: { cpu_usage_percent: 10 } };
const post = (url: string, headers: Record<string, string>, payload: object = {}) =>
  t.app.inject({ method: "POST", url, headers, payload });
const report = (d: { device: { deviceId: string } }, headers: Record<string, string>) =>
  post(`/api/v1/devices/${d.device.deviceId}/health`, headers, healthy);
const events = (deviceId: string) =>
  t.ctx.db.select().from(deviceLifecycleEvents).where(eq(deviceLifecycleEvents.deviceId, deviceId));

describe("suspend and resume", () => {
  it("suspended: ingest and polling answer 403, commands are refused, the key is kept; resume restores all", async () => {
    const d = await makeDevice(t);
    const id = d.device.deviceId;
    expect((await report(d, d.headers)).statusCode).toBe(201);

    const res = await post(`/api/v1/devices/${id}/suspend`, operator, { reason: "store refit" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: "success",
      device_id: id,
      lifecycle_state: "suspended",
      replayed: false,
    });

    const ingest = await report(d, d.headers);
    expect(ingest.statusCode).toBe(403);
    expect(ingest.json().detail).toMatch(/suspended/);
    const metrics = await post("/api/v1/analytics/device-metrics", d.headers, { device_id: id, cpu_percent: 5 });
    expect(metrics.statusCode).toBe(403);
    const poll = await t.app.inject({ method: "GET", url: "/api/v1/devices/pending", headers: d.headers });
    expect(poll.statusCode).toBe(403);
    const command = await post(`/api/v1/devices/${id}/commands`, operator, { command_type: "reboot" });
    expect(command.statusCode).toBe(409);
    expect(command.json().detail).toMatch(/suspended/);

    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.deviceId, id));
    expect(row).toMatchObject({ lifecycleState: "suspended", apiKeyHash: d.device.apiKeyHash });
    const device = await t.app.inject({ method: "GET", url: `/api/v1/devices/${id}`, headers: viewer });
    expect(device.json().data).toMatchObject({ lifecycle_state: "suspended", status: "online", source: "real" });

    // Again: nothing changes. Resume as admin: the same key works again.
    expect((await post(`/api/v1/devices/${id}/suspend`, operator)).json().replayed).toBe(true);
    const resumed = await post(`/api/v1/devices/device/${id}/resume`, admin, { reason: "refit done" });
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json().lifecycle_state).toBe("active");
    expect((await report(d, d.headers)).statusCode).toBe(201);

    expect((await events(id)).map((e) => [e.action, e.fromState, e.toState, e.reason])).toEqual([
      ["suspend", "active", "suspended", "store refit"],
      ["resume", "suspended", "active", "refit done"],
    ]);
    const history = await t.ctx.db.select().from(deviceStateHistory).where(eq(deviceStateHistory.deviceId, id));
    expect(history.filter((h) => h.newState === "suspended")).toHaveLength(1);
    const audits = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.deviceId, d.device.id));
    expect(audits.map((a) => a.eventType)).toEqual(expect.arrayContaining(["device_suspended", "device_resumed"]));
  });

  it("refuses a transition the device's state does not allow, bad bodies and unknown devices", async () => {
    const d = await makeDevice(t);
    const id = d.device.deviceId;
    const resume = await post(`/api/v1/devices/${id}/reenrol`, operator);
    expect(resume.statusCode).toBe(409);
    expect(resume.json().detail).toMatch(/only unpaired/);
    const bad = await post(`/api/v1/devices/${id}/suspend`, operator, { reason: "x".repeat(501) });
    expect(bad.statusCode).toBe(422);
    expect(JSON.stringify(bad.json())).toContain("reason");
    const noTarget = await post(`/api/v1/devices/${id}/transfer`, operator, {});
    expect(noTarget.statusCode).toBe(422);
    expect(JSON.stringify(noTarget.json())).toContain("target_site_id");
    const same = await post(`/api/v1/devices/${id}/transfer`, operator, { target_site_id: d.siteId });
    expect(same.statusCode).toBe(422);
    const missing = await post(`/api/v1/devices/${id}/transfer`, operator, { target_site_id: "site-nowhere" });
    expect(missing.statusCode).toBe(404);
    expect((await post("/api/v1/devices/no-such-device/suspend", operator)).statusCode).toBe(404);
    expect(await events(id)).toHaveLength(0);
  });

  it("every transition needs an operator; viewers read the lifecycle", async () => {
    const d = await makeDevice(t);
    const id = d.device.deviceId;
    for (const action of ["suspend", "resume", "unpair", "reenrol"]) {
      await expectRequiresRole(t, { method: "POST", url: `/api/v1/devices/${id}/${action}`, payload: {} }, "operator");
      await expectRequiresRole(
        t,
        { method: "POST", url: `/api/v1/devices/device/${id}/${action}`, payload: {} },
        "operator",
      );
    }
    await expectRequiresRole(
      t,
      { method: "POST", url: `/api/v1/devices/${id}/transfer`, payload: { target_site_id: d.siteId } },
      "operator",
    );
    const read = await t.app.inject({ method: "GET", url: `/api/v1/devices/${id}/lifecycle`, headers: viewer });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ lifecycle_state: "active", events: [] });
    expect(read.json().epochs).toEqual([expect.objectContaining({ site_id: d.siteId, ended_at: null })]);
    await expectRequiresRole(t, { method: "GET", url: `/api/v1/devices/${id}/lifecycle` }, "viewer");
  });
});

describe("unpair, re-enrol, transfer", () => {
  it("unpair revokes the key, cancels open commands, ends the epoch, and is idempotent with an Idempotency-Key", async () => {
    const d = await makeDevice(t);
    const id = d.device.deviceId;
    const queued = await post(`/api/v1/devices/${id}/commands`, operator, { command_type: "reboot" });
    expect(queued.statusCode).toBe(201);

    const headers = { ...operator, "idempotency-key": "unpair-till-4" };
    const first = await post(`/api/v1/devices/device/${id}/unpair`, headers, { reason: "hardware refresh" });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ lifecycle_state: "unpaired", replayed: false });
    const again = await post(`/api/v1/devices/device/${id}/unpair`, headers, { reason: "hardware refresh" });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ lifecycle_state: "unpaired", replayed: true });
    expect(again.json().message).toMatch(/already unpaired/);
    expect((await post(`/api/v1/devices/${id}/unpair`, admin)).json().replayed).toBe(true);
    expect(await events(id)).toHaveLength(1);

    expect((await report(d, d.headers)).statusCode).toBe(401);
    const [row] = await t.ctx.db.select().from(devices).where(eq(devices.deviceId, id));
    expect(row).toMatchObject({ lifecycleState: "unpaired", apiKeyHash: null, isActive: true });
    const [command] = await t.ctx.db.select().from(deviceCommands).where(eq(deviceCommands.deviceId, id));
    expect(command?.status).toBe("cancelled");
    const epochs = await t.ctx.db.select().from(deviceEpochs).where(eq(deviceEpochs.deviceId, d.device.id));
    expect(epochs).toHaveLength(1);
    expect(epochs[0]?.endedAt).toBeInstanceOf(Date);
    expect((await post(`/api/v1/devices/${id}/suspend`, operator)).statusCode).toBe(409);
  });

  it("re-enrol gives a new key and a new epoch; transfer closes the epoch, opens one at the new site, rotates the key", async () => {
    const d = await makeDevice(t);
    const id = d.device.deviceId;
    const other = await makeSite(t);
    await post(`/api/v1/devices/${id}/unpair`, operator);

    const reenrol = await post(`/api/v1/devices/${id}/reenrol`, operator, { device_name: "Till 4 (new)" });
    expect(reenrol.statusCode).toBe(200);
    const re = reenrol.json();
    expect(re).toMatchObject({ lifecycle_state: "active", site_id: d.siteId });
    expect(re.api_key).toMatch(/^hpk_/);
    expect(reenrol.headers["cache-control"]).toBe("no-store");
    const keyed = { "x-device-id": id, "x-api-key": re.api_key };
    expect((await report(d, keyed)).statusCode).toBe(201);

    const moved = await post(`/api/v1/devices/device/${id}/transfer`, operator, {
      target_site_id: other.siteId,
      reason: "moved to the mall",
      idempotency_key: "move-1",
    });
    expect(moved.statusCode).toBe(200);
    const mv = moved.json();
    expect(mv).toMatchObject({ lifecycle_state: "active", site_id: other.siteId, target_site_id: other.siteId });
    expect(mv.epoch_id).not.toBe(re.epoch_id);
    expect((await report(d, keyed)).statusCode).toBe(401);
    expect((await report(d, { "x-device-id": id, "x-api-key": mv.api_key })).statusCode).toBe(201);
    const replay = await post(`/api/v1/devices/${id}/transfer`, operator, {
      target_site_id: other.siteId,
      idempotency_key: "move-1",
    });
    expect(replay.json()).toMatchObject({ replayed: true, epoch_id: mv.epoch_id });
    expect(replay.json().api_key).toBeUndefined();

    const life = (
      await t.app.inject({ method: "GET", url: `/api/v1/devices/${id}/lifecycle`, headers: viewer })
    ).json();
    expect(
      life.epochs.map((e: { site_id: string; ended_at: string | null }) => [e.site_id, e.ended_at === null]),
    ).toEqual([
      [d.siteId, false],
      [d.siteId, false],
      [other.siteId, true],
    ]);
    expect(life.events.map((e: { action: string }) => e.action)).toEqual(["transfer", "reenrol", "unpair"]);
    const [row] = await t.ctx.db
      .select()
      .from(devices)
      .where(and(eq(devices.deviceId, id), eq(devices.siteId, other.siteId)));
    expect(row?.name).toBe("Till 4 (new)");
  });
});

describe("archive, restore, purge one device", () => {
  const list = async (query: string) =>
    (await t.app.inject({ method: "GET", url: `/api/v1/devices?${query}`, headers: viewer })).json().devices as Array<{
      device_id: string;
      lifecycle_state: string;
    }>;

  it("archive suspends and hides the device (the Archived filter lists it); restore brings it back suspended", async () => {
    const d = await makeDevice(t);
    const id = d.device.deviceId;
    const heard: DeviceLifecycleChanged[] = [];
    const stop = lifecycleBus.on("changed", (e) => void (e.deviceId === id && heard.push(e)));
    try {
      expect((await post(`/api/v1/devices/${id}/archive`, viewer)).statusCode).toBe(403);
      const archived = await post(`/api/v1/devices/${id}/archive`, operator, { reason: "shop closed" });
      expect(archived.statusCode).toBe(200);
      expect(archived.json().data).toMatchObject({ is_active: false, lifecycle_state: "suspended" });
      expect((await post(`/api/v1/devices/${id}/archive`, operator)).json().message).toMatch(/already archived/);
      expect((await report(d, d.headers)).statusCode).toBe(401);
      expect((await list(`site_id=${d.siteId}`)).map((x) => x.device_id)).toEqual([]);
      expect((await list(`site_id=${d.siteId}&archived=true`)).map((x) => x.device_id)).toEqual([id]);

      const restored = await post(`/api/v1/devices/${id}/restore`, operator);
      expect(restored.statusCode).toBe(200);
      expect(restored.json().data).toMatchObject({ is_active: true, lifecycle_state: "suspended" });
      expect((await list(`site_id=${d.siteId}`)).map((x) => x.lifecycle_state)).toEqual(["suspended"]);
      expect((await report(d, d.headers)).statusCode).toBe(403);
      expect((await post(`/api/v1/devices/${id}/resume`, operator)).statusCode).toBe(200);
      expect((await report(d, d.headers)).statusCode).toBe(201);
    } finally {
      stop();
    }
    expect(heard.map((e) => [e.lifecycleState, e.isActive])).toEqual([
      ["suspended", false],
      ["suspended", true],
      ["active", true],
    ]);
    const audits = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.deviceId, d.device.id));
    expect(audits.map((a) => a.eventType)).toEqual(expect.arrayContaining(["device_archived", "device_restored"]));
  });

  it("a device of an archived site is restored only after its site", async () => {
    const site = await makeSite(t);
    const d = await makeDevice(t, { siteId: site.siteId });
    await post(`/api/v1/devices/${d.device.deviceId}/archive`, operator);
    await t.app.inject({ method: "DELETE", url: `/api/v1/sites/${site.siteId}`, headers: operator });
    const refused = await post(`/api/v1/devices/${d.device.deviceId}/restore`, operator);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/restore the site/);
  });

  it("purge needs an admin and confirm=true, deletes the device's rows and leaves a tombstone", async () => {
    const keep = await makeDevice(t);
    const d = await makeDevice(t, { siteId: keep.siteId });
    const id = d.device.deviceId;
    await report(d, d.headers);
    await report(keep, keep.headers);
    const del = (query: string, headers: Record<string, string>) =>
      t.app.inject({ method: "DELETE", url: `/api/v1/devices/${id}${query}`, headers });
    expect((await del("?mode=purge&confirm=true", operator)).statusCode).toBe(403);
    const unconfirmed = await del("?mode=purge", admin);
    expect(unconfirmed.statusCode).toBe(422);
    expect(JSON.stringify(unconfirmed.json())).toContain("confirm");
    const purged = await del("?mode=purge&confirm=true", admin);
    expect(purged.statusCode).toBe(200);
    expect(await t.ctx.db.select().from(devices).where(eq(devices.deviceId, id))).toHaveLength(0);
    expect(await t.ctx.db.select().from(deviceStateHistory).where(eq(deviceStateHistory.deviceId, id))).toHaveLength(0);
    expect(await t.ctx.db.select().from(healthChecks).where(eq(healthChecks.deviceId, keep.device.id))).toHaveLength(1);
    const [tombstone] = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "device_purged"));
    expect(tombstone?.oldValues).toMatchObject({ device_id: id, site_id: d.siteId });
    expect((await report(d, d.headers)).statusCode).toBe(401);
  });
});
