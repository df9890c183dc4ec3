import { createUser, type Role } from "@homepot/core";
import { registerDevice } from "@homepot/core/devices/register-device";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";

let t: TestApp;
let platform: Awaited<ReturnType<typeof loginAs>>;
let acme: number;
let globex: number;
const siteKeys: Record<string, number> = {};

const call = (method: string, url: string, headers: Record<string, string>, payload?: object) =>
  t.app.inject({ method: method as "GET", url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

let seq = 0;
/** A user who belongs to a tenant, or only to one site (sites.id), with a role there. */
async function member(role: Role, where: { tenantId: number } | { siteKey: number }) {
  seq += 1;
  const email = `m${seq}-${process.pid}@example.com`;
  const password = "correct-horse-battery";
  const user = await createUser(t.ctx, {
    email,
    password,
    role,
    tenantId: "tenantId" in where ? where.tenantId : null,
  });
  if ("siteKey" in where) {
    const tenantId = where.siteKey === siteKeys["globex-1"] ? globex : acme;
    const res = await call("POST", `/tenants/${tenantId}/sites/${where.siteKey}/members`, platform.headers, {
      user_id: user.id,
      role,
    });
    expect(res.statusCode).toBe(201);
  }
  const login = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });
  return { user, headers: { authorization: `Bearer ${login.json().data.access_token}` } };
}

beforeAll(async () => {
  t = await createTestApp();
  platform = await loginAs(t, "admin");
  acme = (await call("POST", "/tenants", platform.headers, { name: "Acme", slug: "acme" })).json().id;
  globex = (await call("POST", "/tenants", platform.headers, { name: "Globex", slug: "globex" })).json().id;
  for (const [siteId, tenantId] of [
    ["acme-1", acme],
    ["acme-2", acme],
    ["globex-1", globex],
  ] as const) {
    const res = await call("POST", "/sites", platform.headers, { site_id: siteId, name: siteId, tenant_id: tenantId });
    expect(res.statusCode).toBe(201);
    siteKeys[siteId] = res.json().data.id;
    await registerDevice(t.ctx, siteId, { deviceId: `${siteId}-pos`, deviceType: "pos_terminal" });
  }
});
afterAll(async () => t.close());

describe("tenants (original HOMEPOT shapes)", () => {
  it("creates, lists, reads, updates and deactivates a tenant; slugs are unique", async () => {
    const created = await call("POST", "/tenants", platform.headers, {
      name: "Initech",
      slug: "initech",
      settings: { tz: "UTC" },
    });
    expect(created.statusCode).toBe(201);
    const tenant = created.json();
    expect(Object.keys(tenant).sort()).toEqual([
      "created_at",
      "id",
      "is_active",
      "name",
      "settings",
      "slug",
      "updated_at",
    ]);
    expect(tenant).toMatchObject({ name: "Initech", slug: "initech", settings: { tz: "UTC" }, is_active: true });
    expect(
      (await call("POST", "/tenants", platform.headers, { name: "Again", slug: "INITECH".toLowerCase() })).statusCode,
    ).toBe(409);
    const bad = await call("POST", "/tenants", platform.headers, { name: "Bad", slug: "Not A Slug" });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("slug");
    const listed = (await call("GET", "/tenants", platform.headers)).json() as Array<{ slug: string }>;
    expect(listed.map((x) => x.slug)).toEqual(expect.arrayContaining(["default", "acme", "globex", "initech"]));
    const updated = await call("PUT", `/tenants/${tenant.id}`, platform.headers, { name: "Initech Ltd" });
    expect(updated.json()).toMatchObject({ id: tenant.id, name: "Initech Ltd", slug: "initech" });
    expect((await call("DELETE", `/tenants/${tenant.id}`, platform.headers)).statusCode).toBe(204);
    expect((await call("GET", `/tenants/${tenant.id}`, platform.headers)).json().is_active).toBe(false);
    expect((await call("DELETE", "/tenants/1", platform.headers)).statusCode).toBe(409);
    expect((await call("GET", "/tenants/999999", platform.headers)).statusCode).toBe(404);
  });

  it("lets only platform admins manage tenants", async () => {
    const tenantAdmin = await member("admin", { tenantId: acme });
    expect((await call("POST", "/tenants", tenantAdmin.headers, { name: "X", slug: "x-corp" })).statusCode).toBe(403);
    expect((await call("PUT", `/tenants/${acme}`, tenantAdmin.headers, { name: "Mine" })).statusCode).toBe(403);
    const mine = (await call("GET", "/tenants", tenantAdmin.headers)).json() as Array<{ slug: string }>;
    expect(mine.map((x) => x.slug)).toEqual(["acme"]);
    expect((await call("GET", `/tenants/${globex}`, tenantAdmin.headers)).statusCode).toBe(404);
  });

  it("puts existing and tenant-less sites in the default tenant, whose members see them", async () => {
    const site = await call("POST", "/sites", platform.headers, { site_id: "legacy-1", name: "Legacy" });
    expect(site.json().data.tenant_id).toBe(1);
    const operator = await loginAs(t, "operator");
    const sites = (await call("GET", "/sites", operator.headers)).json().sites as Array<{ site_id: string }>;
    expect(sites.map((s) => s.site_id)).toEqual(["legacy-1"]);
  });
});

describe("memberships", () => {
  it("a tenant admin adds, changes and removes members; everyone reads their own memberships", async () => {
    const tenantAdmin = await member("admin", { tenantId: acme });
    const newcomer = await createUser(t.ctx, {
      email: `new-${process.pid}@example.com`,
      password: "correct-horse-battery",
      tenantId: null,
    });
    const added = await call("POST", `/tenants/${acme}/members`, tenantAdmin.headers, {
      user_id: newcomer.id,
      role: "viewer",
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ user_id: newcomer.id, tenant_id: acme, role: "viewer" });
    const again = await call("POST", `/tenants/${acme}/members`, tenantAdmin.headers, {
      user_id: newcomer.id,
      role: "viewer",
    });
    expect(again.statusCode).toBe(409);
    const changed = await call("PUT", `/tenants/${acme}/members/${added.json().id}`, tenantAdmin.headers, {
      role: "operator",
    });
    expect(changed.json().role).toBe("operator");
    const users = (await call("GET", `/tenants/${acme}/users`, tenantAdmin.headers)).json() as Array<{ id: number }>;
    expect(users.map((u) => u.id)).toContain(newcomer.id);
    // Another tenant's admin can neither see nor touch acme's members.
    const globexAdmin = await member("admin", { tenantId: globex });
    expect((await call("GET", `/tenants/${acme}/members`, globexAdmin.headers)).statusCode).toBe(404);
    expect(
      (await call("POST", `/tenants/${acme}/members`, globexAdmin.headers, { user_id: newcomer.id, role: "admin" }))
        .statusCode,
    ).toBe(404);
    // A site of another tenant is not a site of this one.
    const wrongSite = await call("POST", `/tenants/${acme}/sites/${siteKeys["globex-1"]}/members`, platform.headers, {
      user_id: newcomer.id,
      role: "viewer",
    });
    expect(wrongSite.statusCode).toBe(404);
    expect((await call("DELETE", `/tenants/${acme}/members/${added.json().id}`, tenantAdmin.headers)).statusCode).toBe(
      204,
    );
    const viewer = await member("viewer", { siteKey: siteKeys["acme-1"] as number });
    const mine = (await call("GET", "/tenants/me/memberships", viewer.headers)).json();
    expect(mine).toMatchObject({
      tenant_memberships: [],
      site_memberships: [{ site_id: siteKeys["acme-1"], site_code: "acme-1", role: "viewer", tenant_id: acme }],
    });
  });
});

describe("what each member sees", () => {
  it("an operator of one tenant never sees another's sites, devices, jobs or numbers (404, not 403)", async () => {
    const operator = await member("operator", { tenantId: acme });
    const sites = (await call("GET", "/sites", operator.headers)).json().sites as Array<{ site_id: string }>;
    expect(sites.map((s) => s.site_id)).toEqual(["acme-1", "acme-2"]);
    const devices = (await call("GET", "/devices", operator.headers)).json().devices as Array<{ device_id: string }>;
    expect(devices.map((d) => d.device_id)).toEqual(["acme-1-pos", "acme-2-pos"]);
    for (const url of ["/sites/globex-1", "/devices/globex-1-pos", "/devices/globex-1-pos/metrics"])
      expect((await call("GET", url, operator.headers)).statusCode, url).toBe(404);
    // A filter on another tenant's site finds nothing, like one on a site that does not exist.
    expect((await call("GET", "/devices?site_id=globex-1", operator.headers)).json().devices).toEqual([]);
    const job = await call("POST", "/jobs", operator.headers, {
      action: "Restart",
      site_id: "globex-1",
      job_type: "restart",
    });
    expect(job.statusCode).toBe(404);
    // A device of another tenant in a job's list is reported like an unknown one.
    const listed = await call("POST", "/jobs", operator.headers, {
      action: "Restart",
      device_ids: ["acme-1-pos", "globex-1-pos"],
      job_type: "restart",
    });
    expect(listed.statusCode).toBe(422);
    expect(listed.body).toContain("globex-1-pos");
    const command = await call("POST", "/devices/globex-1-pos/commands", operator.headers, { command_type: "restart" });
    expect(command.statusCode).toBe(404);
    const summary = (await call("GET", "/dashboard/summary", operator.headers)).json();
    expect(JSON.stringify(summary)).not.toContain("globex");
    for (const payload of [
      { question: "why is globex-1-pos unhealthy?" },
      { question: "how is it?", device_id: "globex-1-pos" },
    ]) {
      const asked = await call("POST", "/ai/query", operator.headers, payload);
      const told = asked.statusCode === 200 ? `${asked.json().response}${JSON.stringify(asked.json().citations)}` : "";
      expect(told, asked.body).not.toContain("globex");
    }
    const metrics = await call("GET", "/analytics/device-metrics", operator.headers);
    expect(metrics.statusCode).toBe(200);
    expect((await call("GET", "/analytics/api-requests", operator.headers)).statusCode).toBe(403);
  });

  it("a site member sees that site only; an installer onboards there and reads no device data", async () => {
    const viewer = await member("viewer", { siteKey: siteKeys["acme-1"] as number });
    const devices = (await call("GET", "/devices", viewer.headers)).json().devices as Array<{ device_id: string }>;
    expect(devices.map((d) => d.device_id)).toEqual(["acme-1-pos"]);
    expect((await call("GET", "/sites/acme-2", viewer.headers)).statusCode).toBe(404);
    expect((await call("GET", "/devices/acme-1-pos/metrics", viewer.headers)).statusCode).toBe(200);

    const installer = await member("installer", { siteKey: siteKeys["acme-1"] as number });
    expect((await call("GET", "/devices", installer.headers)).json().devices).toHaveLength(1);
    expect((await call("GET", "/devices/acme-1-pos/metrics", installer.headers)).statusCode).toBe(403);
    expect((await call("GET", "/jobs", installer.headers)).statusCode).toBe(403);
    const registered = await call("POST", "/devices/sites/acme-1/devices", installer.headers, {
      device_id: "acme-1-kiosk",
      name: "Kiosk",
      device_type: "kiosk",
    });
    expect(registered.statusCode).toBe(201);
    const elsewhere = await call("POST", "/devices/sites/acme-2/devices", installer.headers, {
      device_id: "acme-2-kiosk",
      name: "Kiosk",
      device_type: "kiosk",
    });
    expect(elsewhere.statusCode).toBe(404);
    expect((await call("GET", "/auth/me", installer.headers)).json().data.role).toBe("installer");
  });

  it("an API token made for one site reaches that site only", async () => {
    const operator = await member("operator", { tenantId: acme });
    const made = await call("POST", "/auth/tokens", operator.headers, {
      name: "till script",
      scope: "operator",
      site_id: siteKeys["acme-2"],
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().data.site_id).toBe(siteKeys["acme-2"]);
    const bearer = { authorization: `Bearer ${made.json().data.token}` };
    const devices = (await call("GET", "/devices", bearer)).json().devices as Array<{ device_id: string }>;
    expect(devices.map((d) => d.device_id)).toEqual(["acme-2-pos"]);
    expect((await call("GET", "/devices/acme-1-pos", bearer)).statusCode).toBe(404);
    const foreign = await call("POST", "/auth/tokens", operator.headers, { name: "x", site_id: siteKeys["globex-1"] });
    expect(foreign.statusCode).toBe(404);
  });
});
