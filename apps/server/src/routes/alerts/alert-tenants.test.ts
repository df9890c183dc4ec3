import { raiseAlert } from "@homepot/core/alerts/raise-alert";
import { createTenant } from "@homepot/core/tenants/manage-tenants";
import { alerts, auditLogs, notificationDeliveries } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice, makeSite } from "../devices/device-factories.ts";

// Rules and channels owned by tenants: made by the tenant's admins, naming only its sites and devices, watching and
// told about only its devices; another tenant's answers 404. Platform-wide ones stay the platform admins'.

let t: TestApp;
let platform: Record<string, string>;
const A = { admin: {}, viewer: {}, site: "", device: "", id: 0 } as {
  admin: Record<string, string>;
  viewer: Record<string, string>;
  site: string;
  device: string;
  id: number;
};
const B = { ...A };

beforeAll(async () => {
  t = await createTestApp();
  platform = (await loginAs(t, "admin")).headers;
  for (const [tenant, slug] of [
    [A, "alpha"],
    [B, "beta"],
  ] as const) {
    tenant.id = (await createTenant(t.ctx, { name: slug, slug })).id;
    tenant.site = (await makeSite(t, { tenantId: tenant.id })).siteId;
    tenant.device = (await makeDevice(t, { siteId: tenant.site })).device.deviceId;
    tenant.admin = (await loginAs(t, "admin", undefined, { tenantId: tenant.id })).headers;
    tenant.viewer = (await loginAs(t, "viewer", undefined, { tenantId: tenant.id })).headers;
  }
});
afterAll(async () => t.close());

const api = (method: "GET" | "POST" | "PUT" | "DELETE", url: string, headers: object, payload?: object) =>
  t.app.inject({ method, url: `/api/v1/alerts${url}`, headers: headers as Record<string, string>, payload });
const inError = { type: "device_error", minutes: 0 };

describe("tenant alert rules", () => {
  it("a tenant admin makes a rule for their site, not naming another tenant's site or device (404 naming the field)", async () => {
    const made = await api("POST", "/rules", A.admin, {
      name: "Alpha tills",
      condition: inError,
      scope: { site_ids: [A.site] },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().data.tenant_id).toBe(A.id);
    const audit = await t.ctx.db.select().from(auditLogs).where(eq(auditLogs.eventType, "alert_rule_created"));
    expect(audit.at(-1)?.newValues).toMatchObject({ tenant_id: A.id, name: "Alpha tills" });

    const site = await api("POST", "/rules", A.admin, { name: "x", condition: inError, scope: { site_ids: [B.site] } });
    expect(site.statusCode).toBe(404);
    expect(site.json().detail ?? site.body).toContain("scope.site_ids");
    const device = await api("POST", "/rules", A.admin, {
      name: "x",
      condition: inError,
      scope: { device_ids: [B.device] },
    });
    expect(device.statusCode).toBe(404);
    expect(device.body).toContain("scope.device_ids");
    const other = await api("POST", "/rules", A.admin, { name: "x", condition: inError, tenant_id: B.id });
    expect(other.statusCode).toBe(404);
    expect(other.body).toContain("tenant_id");
    const id = made.json().data.id;
    const moved = await api("PUT", `/rules/${id}`, A.admin, { scope: { site_ids: [B.site] } });
    expect(moved.statusCode).toBe(404);
  });

  it("another tenant's admin neither sees nor changes it (404); its viewers read it; platform rules stay read-only", async () => {
    const id = (await api("POST", "/rules", A.admin, { name: "Alpha only", condition: inError })).json().data.id;
    const names = async (headers: object) =>
      ((await api("GET", "/rules", headers)).json().rules as { name: string }[]).map((r) => r.name);
    expect(await names(B.admin)).not.toContain("Alpha only");
    expect(await names(A.viewer)).toContain("Alpha only");
    expect(await names(platform)).toContain("Alpha only");
    expect((await api("PUT", `/rules/${id}`, B.admin, { enabled: false })).statusCode).toBe(404);
    expect((await api("DELETE", `/rules/${id}`, B.admin)).statusCode).toBe(404);
    expect((await api("PUT", `/rules/${id}`, A.viewer, { enabled: false })).statusCode).toBe(403);
    const builtin = ((await api("GET", "/rules", A.admin)).json().rules as { id: number; builtin: boolean }[]).find(
      (r) => r.builtin,
    );
    expect((await api("PUT", `/rules/${builtin?.id}`, A.admin, { enabled: false })).statusCode).toBe(403);
    expect((await api("PUT", `/rules/${id}`, platform, { enabled: false })).statusCode).toBe(200);
    expect((await api("DELETE", `/rules/${id}`, A.admin)).statusCode).toBe(200);
  });

  it("a tenant's rule fires for its tenant's devices only", async () => {
    const made = await api("POST", "/rules", A.admin, { name: "Alpha errors", condition: inError });
    const ruleId = made.json().data.id as number;
    await t.app.alerts.idle();
    for (const deviceId of [A.device, B.device])
      t.app.alerts.emit({ kind: "status", deviceId, status: "error", at: new Date(), reason: "card reader gone" });
    await t.app.alerts.idle();
    const raised = await t.ctx.db.select({ deviceId: alerts.deviceId }).from(alerts).where(eq(alerts.ruleId, ruleId));
    expect(raised.map((a) => a.deviceId)).toEqual([A.device]);
  });
});

describe("tenant notification channels", () => {
  const webhook = (name: string, extra: object = {}) => ({
    name,
    type: "slack",
    secrets: { url: "http://127.0.0.1:9/hook" },
    min_severity: "info",
    ...extra,
  });

  it("a tenant admin's channel routes only its sites; another tenant's admin gets 404 for it", async () => {
    const bad = await api("POST", "/channels", A.admin, webhook("x", { site_ids: [B.site] }));
    expect(bad.statusCode).toBe(404);
    expect(bad.body).toContain("site_ids");
    const made = await api("POST", "/channels", A.admin, webhook("Alpha ops", { timezone: "Europe/Berlin" }));
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().data).toMatchObject({ tenant_id: A.id, timezone: "Europe/Berlin", quiet_hours: null });
    const id = made.json().data.id as number;
    const listed = async (headers: object) =>
      ((await api("GET", "/channels", headers)).json().channels as { id: number }[]).map((c) => c.id);
    expect(await listed(B.admin)).not.toContain(id);
    expect(await listed(platform)).toContain(id);
    expect((await api("PUT", `/channels/${id}`, B.admin, { name: "mine" })).statusCode).toBe(404);
    expect((await api("POST", `/channels/${id}/test`, B.admin)).statusCode).toBe(404);
    expect((await api("DELETE", `/channels/${id}`, B.admin)).statusCode).toBe(404);
    expect((await api("GET", "/channels", A.viewer)).statusCode).toBe(403);
  });

  it("a tenant's channel is told only of its tenant's alerts; a platform channel of every one", async () => {
    const own = (await api("POST", "/channels", A.admin, webhook("Alpha pager"))).json().data.id as number;
    const all = (await api("POST", "/channels", platform, webhook("NOC"))).json().data.id as number;
    const raised: number[] = [];
    for (const [n, tenant] of [A, B].entries()) {
      const { alert } = await raiseAlert(t.ctx, {
        fingerprint: `tenant-channel:${n}`,
        source: "device",
        kind: "device_reported",
        severity: "critical",
        deviceId: tenant.device,
        siteId: tenant.site,
        title: `${tenant.device} is down`,
      });
      raised.push(alert.id);
    }
    const told = async (channelId: number) =>
      (
        await t.ctx.db
          .select({ alertId: notificationDeliveries.alertId })
          .from(notificationDeliveries)
          .where(and(eq(notificationDeliveries.channelId, channelId), eq(notificationDeliveries.event, "opened")))
      ).map((d) => d.alertId);
    expect(await told(own)).toEqual([raised[0]]);
    expect((await told(all)).sort()).toEqual([...raised].sort());
    const deliveries = (await api("GET", "/deliveries", B.admin)).json().deliveries as { channel_id: number }[];
    expect(deliveries.map((d) => d.channel_id)).not.toContain(own);
  });
});
