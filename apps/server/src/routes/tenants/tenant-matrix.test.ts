import { createUser, type Role } from "@homepot/core";
import { raiseAlert } from "@homepot/core/alerts/raise-alert";
import { registerDevice } from "@homepot/core/devices/register-device";
import { deviceMetrics, errorLogs, notificationDeliveries } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";

// A matrix that cannot drift: every operation of the OpenAPI document is called by every role of tenant A against
// tenant B's objects (and by a member of A's first site against A's second site). A path that names another
// tenant's object must answer 404 (or 401/403 before any lookup), never 2xx; a list must never show B's objects.
// An operation whose path parameters are neither mapped to a tenant-owned object below nor declared not
// tenant-owned fails the suite, so a new route has to say how it is scoped.

/** Parameters naming objects that belong to no tenant (the caller's own tokens, sessions; shared releases …). */
const NOT_TENANT_OWNED: Record<string, string> = {
  token_id: "the caller's own API token",
  session_id: "the caller's own session",
  invitation_id: "platform admins' invitations",
  user_id: "users are platform admins' (tenant admins use /tenants/{id}/members)",
  upload_id: "the shared release repository",
  release_id: "the shared release repository",
  template_id: "command templates are shared; running one names devices, which are checked",
  membership_id: "checked inside its tenant (the tenant in the same path is B's)",
  day_of_week: "follows its site_id",
};
/** Operations a device calls with its own secret in the body (no user): any 4xx confirms nothing. */
const DEVICE_CREDENTIAL = new Set(["POST /api/v1/enrolment-intents/{intent_id}/claim"]);
/** `{id}` routes: which of B's objects they take (a key of B), or why they name nothing tenant-owned. */
const ID_ROUTES: Array<[RegExp, string]> = [
  [/\/alerts\/\{id\}/, "alert"],
  [/\/alerts\/rules\/\{id\}/, "rule"],
  [/\/alerts\/channels\/\{id\}/, "channel"],
  [/\/alerts\/deliveries\/\{id\}/, "delivery"],
  [/\/analytics\/errors\/\{id\}/, "error log rows (operators resolve errors of their devices)"],
];

let t: TestApp;
const B: Record<string, string> = {};
const roles: Role[] = ["admin", "operator", "installer", "viewer"];
const members: Record<string, Record<string, string>> = {};

async function signIn(role: Role, tenantId: number | null) {
  const email = `${role}-${tenantId}-${Math.random().toString(36).slice(2)}@example.com`;
  const password = "correct-horse-battery";
  const user = await createUser(t.ctx, { email, password, role, tenantId });
  const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });
  return { user, headers: { authorization: `Bearer ${res.json().data.access_token}` } };
}

beforeAll(async () => {
  t = await createTestApp();
  const platform = await loginAs(t, "admin");
  const post = async (url: string, payload: object) => {
    const res = await t.app.inject({ method: "POST", url: `/api/v1${url}`, headers: platform.headers, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  const a = (await post("/tenants", { name: "Alpha", slug: "alpha" })).id as number;
  const b = (await post("/tenants", { name: "Beta", slug: "beta-corp" })).id as number;
  const keys: Record<string, number> = {};
  for (const [site, tenant] of [
    ["alpha-1", a],
    ["alpha-2", a],
    ["beta-1", b],
  ] as const) {
    keys[site] = (await post("/sites", { site_id: site, name: site, tenant_id: tenant })).data.id;
    await registerDevice(t.ctx, site, { deviceId: `${site}-pos`, deviceType: "pos_terminal" });
  }
  const job = await post("/jobs", { action: "Restart tills", site_id: "beta-1", job_type: "restart" });
  const command = await post("/devices/beta-1-pos/commands", { command_type: "ping" });
  const intent = await post("/sites/beta-1/enrolment-intents", { device_name: "Till 9", device_type: "pos_terminal" });
  // B's own rule and channel (its alert below is delivered to the channel).
  const rule = await post("/alerts/rules", {
    name: "Beta tills offline",
    tenant_id: b,
    condition: { type: "device_offline", minutes: 10 },
    scope: { site_ids: ["beta-1"] },
  });
  const channel = await post("/alerts/channels", {
    name: "beta-corp pager",
    tenant_id: b,
    type: "slack",
    secrets: { url: "http://127.0.0.1:9/beta" },
  });
  const { alert } = await raiseAlert(t.ctx, {
    fingerprint: "matrix:beta-1-pos",
    source: "rule",
    kind: "device_error",
    severity: "critical",
    deviceId: "beta-1-pos",
    siteId: "beta-1",
    title: "beta-1-pos is in error",
  });
  // A platform-wide rule watching only B's site: its scope names B, so tenant A must not read it either.
  await post("/alerts/rules", {
    name: "Platform watch of beta-1",
    condition: { type: "device_offline", minutes: 10 },
    scope: { site_ids: ["beta-1"] },
  });
  const [delivery] = await t.ctx.db
    .select({ id: notificationDeliveries.id })
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.channelId, channel.data.id));
  // Data about B's device, so insights, analytics and summaries have something of B's to leak.
  for (let i = 0; i < 40; i += 1) {
    const timestamp = new Date(Date.now() - i * 5 * 60_000);
    await t.ctx.db.insert(deviceMetrics).values({ deviceId: "beta-1-pos", timestamp, cpuPercent: 50 + (i % 7) * 7 });
  }
  await t.ctx.db.insert(errorLogs).values({
    category: "payment",
    severity: "error",
    errorMessage: "card reader timeout on beta-1-pos",
    deviceId: "beta-1-pos",
  });
  Object.assign(B, {
    site_id: "beta-1",
    device_id: "beta-1-pos",
    job_id: String(job.data?.job_id ?? job.job_id),
    command_id: String(command.data?.command_id ?? command.command_id),
    intent_id: String(intent.data?.intent_id ?? intent.intent_id),
    alert: String(alert.id),
    rule: String(rule.data.id),
    channel: String(channel.data.id),
    delivery: String(delivery?.id),
    tenant_id: String(b),
    tenant_site_id: String(keys["beta-1"]),
  });
  for (const role of roles) members[role] = (await signIn(role, a)).headers;
  // A member of alpha-1 only, against alpha-2's objects.
  const siteOnly = await signIn("operator", null);
  await post(`/tenants/${a}/sites/${keys["alpha-1"]}/members`, { user_id: siteOnly.user.id, role: "operator" });
  members["site-operator"] = siteOnly.headers;
}, 120_000);
afterAll(async () => t.close());

interface Operation {
  method: string;
  path: string;
}
const operations = (): Operation[] => {
  const spec = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
  );
};

/** The path with B's objects filled in, or why it names nothing tenant-owned; undefined: no parameters. */
function fill(path: string, objects: Record<string, string>): { url: string } | { skip: string } | undefined {
  const params = [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1] as string);
  if (params.length === 0) return undefined;
  let url = path;
  for (const param of params) {
    let value: string | undefined;
    if (param === "id") {
      const route = ID_ROUTES.filter(([re]) => re.test(path)).at(-1);
      if (!route) throw new Error(`${path}: {id} is not declared in ID_ROUTES`);
      value = objects[route[1]];
      if (value === undefined) return { skip: route[1] };
    } else if (param === "site_id" && path.startsWith("/api/v1/tenants/")) value = objects.tenant_site_id;
    else value = objects[param];
    if (value === undefined) {
      const reason = NOT_TENANT_OWNED[param];
      if (!reason) throw new Error(`${path}: parameter {${param}} is neither tenant-owned (mapped) nor declared not`);
      if (params.every((p) => NOT_TENANT_OWNED[p])) return { skip: reason };
      value = "1";
    }
    url = url.replace(`{${param}}`, encodeURIComponent(value));
  }
  return { url };
}

describe("cross-tenant matrix (generated from the OpenAPI document)", () => {
  it("answers 404 (or 401/403 before any lookup) for every path naming tenant B's objects, as every role of A", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations()) {
      const filled = fill(op.path, B);
      if (!filled || "skip" in filled) continue;
      for (const role of roles) {
        const res = await t.app.inject({
          method: op.method as "GET",
          url: filled.url,
          headers: members[role],
          ...(op.method === "GET" || op.method === "DELETE" ? {} : { payload: {} }),
        });
        checked += 1;
        const allowed = DEVICE_CREDENTIAL.has(`${op.method} ${op.path}`)
          ? res.statusCode < 500 && res.statusCode >= 400
          : false;
        if (!allowed && ![401, 403, 404].includes(res.statusCode))
          failures.push(`${op.method} ${op.path} as ${role}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (res.statusCode === 403 && /not found/i.test(res.body))
          failures.push(`${op.method} ${op.path}: 403 names it`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  }, 300_000);

  it("never shows tenant B's objects in a list, as any role of A", async () => {
    const failures: string[] = [];
    for (const op of operations()) {
      if (op.method !== "GET" || op.path.includes("{")) continue;
      for (const role of roles) {
        const res = await t.app.inject({ method: "GET", url: op.path, headers: members[role] });
        if (res.statusCode >= 500) failures.push(`${op.path} as ${role}: ${res.statusCode}`);
        if (res.statusCode < 300 && /beta-1|beta-corp/.test(res.body))
          failures.push(`${op.path} as ${role} shows tenant B: ${res.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it("keeps a member of one site out of the tenant's other site (404)", async () => {
    const failures: string[] = [];
    const alpha2 = { site_id: "alpha-2", device_id: "alpha-2-pos" };
    for (const op of operations()) {
      if (!/\{(site_id|device_id)\}/.test(op.path) || op.path.startsWith("/api/v1/tenants/")) continue;
      const filled = fill(op.path, { ...B, ...alpha2 });
      if (!filled || "skip" in filled) continue;
      const res = await t.app.inject({
        method: op.method as "GET",
        url: filled.url,
        headers: members["site-operator"],
        ...(op.method === "GET" || op.method === "DELETE" ? {} : { payload: {} }),
      });
      if (![401, 403, 404].includes(res.statusCode)) failures.push(`${op.method} ${op.path}: ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
