import { auditLogs, deviceEpochs, devices, enrolmentIntents } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeSite } from "../devices/device-factories.ts";
import { expectServerReleaseKey } from "../releases/release-testing.ts";

let t: TestApp;
let operator: Record<string, string>;
let admin: Record<string, string>;
let viewer: Record<string, string>;
let now = new Date("2026-11-27T10:00:00Z");
beforeAll(async () => {
  t = await createTestApp({ clock: { now: () => now } });
  operator = (await loginAs(t, "operator")).headers;
  admin = (await loginAs(t, "admin")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t.close());

async function createIntent(siteId: string, payload: Record<string, unknown> = {}, headers = operator) {
  const res = await t.app.inject({
    method: "POST",
    url: `/api/v1/sites/${siteId}/enrolment-intents`,
    headers,
    payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const claim = (intentId: string, payload: Record<string, unknown>, remoteAddress = "10.9.0.1") =>
  t.app.inject({ method: "POST", url: `/api/v1/enrolment-intents/${intentId}/claim`, payload, remoteAddress });

const auditsOf = async (eventType: string) =>
  t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, eventType));

describe("enrolment intents (claim tokens)", () => {
  it("issues a one-time token (shown once, stored hashed) that a device redeems for an id, a key and an epoch", async () => {
    const site = await makeSite(t);
    const created = await createIntent(site.siteId, {
      device_name: "Kitchen POS",
      expected_device_identity: "SN-1234",
      expires_in_hours: 72,
    });
    expect(created).toMatchObject({ success: true, status: "success", intent_id: expect.any(String) });
    expect(created.claim_token).toMatch(/^hpc_/);
    expect(created.data).toMatchObject({ status: "approved", device_name: "Kitchen POS", site_id: site.siteId });
    expect(created.data.expires_at).toBe("2026-11-30T10:00:00.000Z");
    const [row] = await t.database.db
      .select()
      .from(enrolmentIntents)
      .where(eq(enrolmentIntents.intentId, created.intent_id));
    expect(row?.claimTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.claim_token);
    // The token is not in any later answer.
    const got = await t.app.inject({
      method: "GET",
      url: `/api/v1/sites/${site.siteId}/enrolment-intents/${created.intent_id}`,
      headers: viewer,
    });
    expect(got.statusCode).toBe(200);
    expect(got.body).not.toContain(created.claim_token);

    const wrongIdentity = await claim(created.intent_id, {
      claim_token: created.claim_token,
      expected_device_identity: "SN-9",
    });
    expect(wrongIdentity.statusCode).toBe(403);
    expect(wrongIdentity.json().detail).toMatch(/expected_device_identity/);

    const ok = await claim(created.intent_id, {
      claim_token: created.claim_token,
      device_type: "pos_terminal",
      os_details: "Ubuntu 22.04",
      expected_device_identity: "SN-1234",
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const body = ok.json();
    expect(body).toMatchObject({ status: "success", site_id: site.siteId, lifecycle_state: "active" });
    expect(body.device_id).toMatch(/^pos-terminal-[0-9a-f]{8}$/);
    expect(body.api_key).toMatch(/^hpk_/);
    await expectServerReleaseKey(t, body.release_key);
    const [device] = await t.database.db.select().from(devices).where(eq(devices.deviceId, body.device_id));
    expect(device).toMatchObject({
      name: "Kitchen POS",
      enrolmentMethod: "claim",
      machineId: "SN-1234",
      osDetails: "Ubuntu 22.04",
    });
    const [epoch] = await t.database.db.select().from(deviceEpochs).where(eq(deviceEpochs.id, body.epoch_id));
    expect(epoch).toMatchObject({ deviceId: device?.id, siteId: site.siteId, endedAt: null });

    // The new key works for the device's own calls.
    const me = await t.app.inject({
      method: "POST",
      url: "/api/v1/agent/device-dna",
      headers: { "x-device-id": body.device_id, "x-api-key": body.api_key },
      payload: { os_details: "Ubuntu 22.04" },
    });
    expect(me.statusCode, me.body).toBe(200);

    // A token works once.
    const again = await claim(created.intent_id, {
      claim_token: created.claim_token,
      expected_device_identity: "SN-1234",
    });
    expect(again.statusCode).toBe(410);
    expect(again.json().detail).toMatch(/already used/);
    const list = await t.app.inject({
      method: "GET",
      url: `/api/v1/sites/${site.siteId}/enrolment-intents`,
      headers: viewer,
    });
    expect(list.json().intents[0]).toMatchObject({ status: "consumed", device_id: body.device_id });
    expect((await auditsOf("enrolment_intent_claimed")).some((a) => a.deviceId === device?.id)).toBe(true);
  });

  it("answers 401 for a wrong token or unknown intent and 410 for an expired or revoked one, auditing each", async () => {
    const site = await makeSite(t);
    const a = await createIntent(site.siteId, { expires_in_hours: 1 });
    const wrong = await claim(a.intent_id, { claim_token: "hpc_not-the-token" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().detail).toMatch(/Invalid enrolment intent or claim token/);
    const unknown = await claim("00000000-0000-0000-0000-000000000000", { claim_token: a.claim_token });
    expect(unknown.statusCode).toBe(401);
    const [row] = await t.database.db.select().from(enrolmentIntents).where(eq(enrolmentIntents.intentId, a.intent_id));
    expect(row?.failedClaims).toBe(1);

    now = new Date(now.getTime() + 2 * 3600_000);
    const expired = await claim(a.intent_id, { claim_token: a.claim_token });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().detail).toMatch(/expired/);
    const listed = await t.app.inject({
      method: "GET",
      url: `/api/v1/sites/${site.siteId}/enrolment-intents?status=expired`,
      headers: viewer,
    });
    expect(listed.json().intents.map((i: { intent_id: string }) => i.intent_id)).toEqual([a.intent_id]);

    const b = await createIntent(site.siteId);
    const revoke = await t.app.inject({
      method: "PUT",
      url: `/api/v1/sites/${site.siteId}/enrolment-intents/${b.intent_id}`,
      headers: operator,
      payload: { status: "revoked", reason: "till stolen" },
    });
    expect(revoke.json()).toMatchObject({ status: "success", new_status: "revoked", intent_id: b.intent_id });
    const revoked = await claim(b.intent_id, { claim_token: b.claim_token });
    expect(revoked.statusCode).toBe(410);
    expect(revoked.json().detail).toMatch(/revoked/);

    const reasons = (await auditsOf("enrolment_claim_failed")).map(
      (r) => (r.eventMetadata as { reason: string }).reason,
    );
    expect(reasons).toEqual(expect.arrayContaining(["wrong claim token", "unknown intent", "expired", "revoked"]));
    expect(JSON.stringify(await auditsOf("enrolment_claim_failed"))).not.toContain(a.claim_token);
  });

  it("holds an intent that requires approval until an operator approves it; rejects, regenerates, is idempotent", async () => {
    const site = await makeSite(t);
    const p = await createIntent(site.siteId, { requires_approval: true, idempotency_key: `idem-${site.siteId}` });
    expect(p.data.status).toBe("pending");
    const repeat = await t.app.inject({
      method: "POST",
      url: `/api/v1/sites/${site.siteId}/enrolment-intents`,
      headers: operator,
      payload: { requires_approval: true, idempotency_key: `idem-${site.siteId}` },
    });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toMatchObject({ intent_id: p.intent_id, claim_token: null });

    const early = await claim(p.intent_id, { claim_token: p.claim_token });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/approval/);
    const decide = (intentId: string, status: string) =>
      t.app.inject({
        method: "PUT",
        url: `/api/v1/sites/${site.siteId}/enrolment-intents/${intentId}`,
        headers: operator,
        payload: { status },
      });
    expect((await decide(p.intent_id, "approved")).json().new_status).toBe("approved");
    // The original's clients approve every intent; approving twice is a no-op, not an error.
    expect((await decide(p.intent_id, "approved")).statusCode).toBe(200);
    const rejectApproved = await decide(p.intent_id, "rejected");
    expect(rejectApproved.statusCode).toBe(409);
    expect(rejectApproved.json().detail).toMatch(/status/);

    const regen = await t.app.inject({
      method: "POST",
      url: `/api/v1/sites/${site.siteId}/enrolment-intents/${p.intent_id}/regenerate-token`,
      headers: operator,
    });
    expect(regen.statusCode, regen.body).toBe(200);
    const fresh = regen.json().claim_token as string;
    expect(fresh).not.toBe(p.claim_token);
    expect((await claim(p.intent_id, { claim_token: p.claim_token })).statusCode).toBe(401);
    const ok = await claim(p.intent_id, { claim_token: fresh, device_name: "Front till" });
    expect(ok.statusCode, ok.body).toBe(201);

    const r = await createIntent(site.siteId, { requires_approval: true });
    expect((await decide(r.intent_id, "rejected")).json().new_status).toBe("rejected");
    expect((await claim(r.intent_id, { claim_token: r.claim_token })).statusCode).toBe(410);
    expect((await auditsOf("enrolment_intent_approved")).length).toBeGreaterThan(0);
    expect((await auditsOf("enrolment_token_regenerated")).length).toBeGreaterThan(0);
  });

  it("names the wrong field and keeps device names unique per site", async () => {
    const site = await makeSite(t);
    const bad = await t.app.inject({
      method: "POST",
      url: `/api/v1/sites/${site.siteId}/enrolment-intents`,
      headers: operator,
      payload: { expires_in_hours: 0 },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("expires_in_hours");
    const other = await t.app.inject({
      method: "POST",
      url: `/api/v1/sites/${site.siteId}/enrolment-intents`,
      headers: operator,
      payload: { site_id: "site-elsewhere" },
    });
    // A body naming a site that does not exist (or that the caller cannot see) is not found, naming the field.
    expect(other.statusCode).toBe(404);
    expect(other.body).toContain("site_id");
    const missing = await claim("some-intent", {});
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain("claim_token");

    const first = await createIntent(site.siteId);
    expect((await claim(first.intent_id, { claim_token: first.claim_token, device_name: "Till A" })).statusCode).toBe(
      201,
    );
    const second = await createIntent(site.siteId);
    const clash = await claim(second.intent_id, { claim_token: second.claim_token, device_name: "till a" });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().detail).toMatch(/name/);
    // The refused claim left the intent usable and wrote no device.
    const [row] = await t.database.db
      .select()
      .from(enrolmentIntents)
      .where(eq(enrolmentIntents.intentId, second.intent_id));
    expect(row?.status).toBe("approved");
    const named = await t.database.db
      .select()
      .from(devices)
      .where(and(eq(devices.siteId, site.siteId)));
    expect(named).toHaveLength(1);
  });

  it("requires operator to manage and viewer to read; an admin may too", async () => {
    const site = await makeSite(t);
    const i = await createIntent(site.siteId, {}, admin);
    const base = `/api/v1/sites/${site.siteId}/enrolment-intents`;
    await expectRequiresRole(t, { method: "GET", url: base }, "viewer");
    await expectRequiresRole(t, { method: "GET", url: `${base}/${i.intent_id}` }, "viewer");
    await expectRequiresRole(t, { method: "POST", url: base, payload: {} }, "operator");
    await expectRequiresRole(
      t,
      { method: "PUT", url: `${base}/${i.intent_id}`, payload: { status: "revoked" } },
      "operator",
    );
    await expectRequiresRole(t, { method: "POST", url: `${base}/${i.intent_id}/regenerate-token` }, "operator");
    const elsewhere = await makeSite(t);
    const cross = await t.app.inject({
      method: "GET",
      url: `/api/v1/sites/${elsewhere.siteId}/enrolment-intents/${i.intent_id}`,
      headers: viewer,
    });
    expect(cross.statusCode).toBe(404);
  });
});
