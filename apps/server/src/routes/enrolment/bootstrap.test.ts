import { auditLogs, devices, sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice, makeSite } from "../devices/device-factories.ts";
import { expectServerReleaseKey } from "../releases/release-testing.ts";

let t: TestApp;
let operator: Record<string, string>;
let viewer: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  operator = (await loginAs(t, "operator")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t.close());

async function generateKey(siteId: string, payload?: Record<string, unknown>) {
  const res = await t.app.inject({
    method: "POST",
    url: `/api/v1/sites/${siteId}/bootstrap-key`,
    headers: operator,
    ...(payload ? { payload } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.bootstrap_key as string;
}

const post = (url: string, payload: Record<string, unknown>, remoteAddress = "10.8.0.1") =>
  t.app.inject({ method: "POST", url: `/api/v1/devices/${url}`, payload, remoteAddress });

describe("site bootstrap keys", () => {
  it("lets devices provision themselves with the site's key (shown once, hashed, rotatable, revocable)", async () => {
    const site = await makeSite(t);
    const key = await generateKey(site.siteId);
    expect(key).toMatch(/^hpb_/);
    const [stored] = await t.database.db.select().from(sites).where(eq(sites.siteId, site.siteId));
    expect(stored?.bootstrapKeyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(key);
    const shown = await t.app.inject({ method: "GET", url: `/api/v1/sites/${site.siteId}`, headers: viewer });
    expect(shown.json().data).toMatchObject({ bootstrap_key_prefix: key.slice(0, 10), bootstrap_key_uses: 0 });
    expect(shown.body).not.toContain(key);

    const verified = await post("verify-bootstrap", { site_id: site.siteId, bootstrap_key: key });
    expect(verified.json()).toMatchObject({ status: "success", data: { verified: true } });
    const wrong = await post("verify-bootstrap", { site_id: site.siteId, bootstrap_key: "hpb_wrong" });
    expect(wrong.json().data.verified).toBe(false);
    const name = await post("check-name", { site_id: site.siteId, bootstrap_key: key, device_name: "Till 1" });
    expect(name.json().data.available).toBe(true);

    const res = await post("bootstrap-provision", {
      site_id: site.siteId,
      bootstrap_key: key,
      device_name: "Till 1",
      device_type: "pos_terminal",
      os_details: "Windows 11 Pro",
      provisioning_source: "physical",
    });
    expect(res.statusCode, res.body).toBe(201);
    const data = res.json().data;
    expect(res.json().status).toBe("success");
    expect(data).toMatchObject({ site_id: site.siteId, lifecycle_state: "active", epoch_id: expect.any(String) });
    expect(data.device_id).toMatch(/^pos-terminal-[0-9a-f]{8}$/);
    await expectServerReleaseKey(t, data.release_key);
    const [device] = await t.database.db.select().from(devices).where(eq(devices.deviceId, data.device_id));
    expect(device).toMatchObject({ name: "Till 1", enrolmentMethod: "bootstrap", isSimulated: false });
    const taken = await post("check-name", { site_id: site.siteId, bootstrap_key: key, device_name: "TILL 1" });
    expect(taken.json().data.available).toBe(false);
    const clash = await post("bootstrap-provision", {
      site_id: site.siteId,
      bootstrap_key: key,
      device_name: "till 1",
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().detail).toMatch(/name/);

    // Rotation: the old key stops working at once.
    const rotated = await generateKey(site.siteId);
    expect((await post("bootstrap-provision", { site_id: site.siteId, bootstrap_key: key })).statusCode).toBe(401);
    expect((await post("bootstrap-provision", { site_id: site.siteId, bootstrap_key: rotated })).statusCode).toBe(201);
    const revoke = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/sites/${site.siteId}/bootstrap-key`,
      headers: operator,
    });
    expect(revoke.json()).toMatchObject({ status: "success", message: "Bootstrap key revoked" });
    const after = await post("bootstrap-provision", { site_id: site.siteId, bootstrap_key: rotated });
    expect(after.statusCode).toBe(401);
    const badName = await post("check-name", { site_id: site.siteId, bootstrap_key: rotated, device_name: "x" });
    expect(badName.statusCode).toBe(401);
    const events = (
      await t.database.db
        .select()
        .from(auditLogs)
        .where(eq(auditLogs.siteId, stored?.id ?? -1))
    ).map((a) => a.eventType);
    expect(events).toEqual(
      expect.arrayContaining(["bootstrap_key_created", "bootstrap_key_rotated", "bootstrap_key_revoked"]),
    );
  });

  it("enforces max uses and expiry with 410, and refuses unknown sites with the same 401 as a wrong key", async () => {
    const site = await makeSite(t);
    const key = await generateKey(site.siteId, { max_uses: 1, expires_in_hours: 24 });
    expect((await post("bootstrap-provision", { site_id: site.siteId, bootstrap_key: key })).statusCode).toBe(201);
    const used = await post("bootstrap-provision", { site_id: site.siteId, bootstrap_key: key });
    expect(used.statusCode).toBe(410);
    expect(used.json().detail).toMatch(/maximum number of uses/);
    const unknown = await post("bootstrap-provision", { site_id: "no-such-site", bootstrap_key: key });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().detail).toBe("Invalid site or bootstrap key");
    const missing = await post("bootstrap-provision", { site_id: site.siteId });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain("bootstrap_key");
    const failures = await t.database.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.eventType, "bootstrap_provision_failed"));
    expect(failures.map((f) => (f.eventMetadata as { reason: string }).reason)).toEqual(
      expect.arrayContaining(["bootstrap key used up", "unknown or inactive site"]),
    );
  });

  it("keeps self-provisioned devices pending at a site that requires approval: their key only registers", async () => {
    const site = await makeSite(t);
    const key = await generateKey(site.siteId, { require_approval: true });
    const res = await post("bootstrap-provision", {
      site_id: site.siteId,
      bootstrap_key: key,
      device_name: "Kiosk",
      provisioning_source: "emulator",
    });
    expect(res.statusCode).toBe(201);
    const { device_id, api_key, lifecycle_state } = res.json().data;
    expect(lifecycle_state).toBe("pending");
    const headers = { "x-device-id": device_id, "x-api-key": api_key };
    const dna = await t.app.inject({
      method: "POST",
      url: "/api/v1/agent/device-dna",
      headers,
      payload: { os_details: "Android 13" },
    });
    expect(dna.statusCode, dna.body).toBe(200);
    const metrics = await t.app.inject({
      method: "POST",
      url: "/api/v1/analytics/device-metrics",
      headers,
      payload: { device_id, cpu_percent: 10 },
    });
    expect(metrics.statusCode).toBe(403);
    expect(metrics.json().detail).toMatch(/approval/);

    await expectRequiresRole(t, { method: "POST", url: `/api/v1/devices/${device_id}/approve` }, "operator");
    const approve = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${device_id}/approve`,
      headers: operator,
    });
    expect(approve.statusCode, approve.body).toBe(200);
    expect(approve.json().data).toMatchObject({ lifecycle_state: "active", is_simulated: true });
    const again = await t.app.inject({
      method: "POST",
      url: "/api/v1/analytics/device-metrics",
      headers,
      payload: { device_id, cpu_percent: 10 },
    });
    expect(again.statusCode, again.body).toBe(201);
    const twice = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${device_id}/approve`,
      headers: operator,
    });
    expect(twice.statusCode).toBe(409);

    const other = await post("bootstrap-provision", { site_id: site.siteId, bootstrap_key: key, device_name: "Rogue" });
    const rogue = other.json().data;
    const reject = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${rogue.device_id}/reject`,
      headers: operator,
      payload: { reason: "not ours" },
    });
    expect(reject.json().data).toMatchObject({ lifecycle_state: "unpaired", is_active: false });
    const locked = await t.app.inject({
      method: "POST",
      url: "/api/v1/agent/device-dna",
      headers: { "x-device-id": rogue.device_id, "x-api-key": rogue.api_key },
      payload: {},
    });
    expect(locked.statusCode).toBe(401);
  });

  it("lets operators manage keys, not viewers; devices of other sites are unaffected", async () => {
    const site = await makeSite(t);
    await expectRequiresRole(t, { method: "POST", url: `/api/v1/sites/${site.siteId}/bootstrap-key` }, "operator");
    await expectRequiresRole(t, { method: "DELETE", url: `/api/v1/sites/${site.siteId}/bootstrap-key` }, "operator");
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/v1/sites/no-site/bootstrap-key",
      headers: operator,
    });
    expect(unknown.statusCode).toBe(404);
    const { device } = await makeDevice(t, { siteId: site.siteId });
    const notPending = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${device.deviceId}/approve`,
      headers: operator,
    });
    expect(notPending.statusCode).toBe(409);
  });
});
