import { apiTokens, auditLogs, tenantMemberships, users } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

type Session = Awaited<ReturnType<typeof loginAs>>;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const create = (who: Session, payload: object) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/tokens", headers: who.headers, payload });
const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: "GET", url, headers });

describe("API tokens", () => {
  it("is shown once, stored as a hash, and acts as its owner within its scope", async () => {
    const admin = await loginAs(t, "admin");
    const res = await create(admin, { name: "nightly export", scope: "read_only", expires_in_days: 30 });
    expect(res.statusCode).toBe(201);
    const { token, ...shown } = res.json().data;
    expect(token).toMatch(/^hpt_[A-Za-z0-9_-]{43}$/);
    expect(shown).toMatchObject({ name: "nightly export", scope: "read_only", status: "active", last_used_at: null });
    expect(token.startsWith(shown.token_prefix)).toBe(true);
    const [row] = await t.database.db.select().from(apiTokens).where(eq(apiTokens.id, shown.id));
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);

    // Reads work as the owner; the admin-only analytics and any write are refused to a read-only token.
    const me = await get("/api/v1/auth/me", bearer(token));
    expect(me.statusCode).toBe(200);
    expect(me.json().data).toMatchObject({ id: admin.user.id, role: "admin" });
    expect((await get("/api/v1/sites", bearer(token))).statusCode).toBe(200);
    expect((await get("/api/v1/analytics/api-requests", bearer(token))).statusCode).toBe(403);
    const write = await t.app.inject({
      method: "POST",
      url: "/api/v1/sites",
      headers: bearer(token),
      payload: { site_id: "site-token", name: "By token" },
    });
    expect(write.statusCode).toBe(403);

    // The list shows the use and never the token.
    const list = await get("/api/v1/auth/tokens", admin.headers);
    expect(list.statusCode).toBe(200);
    const listed = list.json().tokens.find((x: { id: number }) => x.id === shown.id);
    expect(listed.last_used_at).not.toBeNull();
    expect(list.body).not.toContain(token);
    expect(list.body).not.toContain(row?.tokenHash);
  });

  it("an operator token can write what operators may, and no token can do more than its owner", async () => {
    const operator = await loginAs(t, "operator");
    const tooMuch = await create(operator, { name: "escalate", scope: "admin" });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().detail).toMatch(/scope/);
    const token = (await create(operator, { name: "ci", scope: "operator" })).json().data.token;
    const site = await t.app.inject({
      method: "POST",
      url: "/api/v1/sites",
      headers: bearer(token),
      payload: { site_id: "site-by-token", name: "Made by a token" },
    });
    expect(site.statusCode).toBe(201);
    const [audit] = await t.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.eventType, "site_created"), eq(auditLogs.userId, operator.user.id)));
    expect(audit).toBeDefined();
    // Demoting the owner (in their tenant) demotes the token at once.
    await t.database.db.update(users).set({ role: "viewer" }).where(eq(users.id, operator.user.id));
    await t.database.db
      .update(tenantMemberships)
      .set({ role: "viewer" })
      .where(eq(tenantMemberships.userId, operator.user.id));
    t.app.forgetUser(operator.user.id);
    const after = await t.app.inject({
      method: "POST",
      url: "/api/v1/sites",
      headers: bearer(token),
      payload: { site_id: "site-by-token-2", name: "Refused" },
    });
    expect(after.statusCode).toBe(403);
  });

  it("stops working when revoked, expired or its owner is disabled, saying why; logout does not touch it", async () => {
    const viewer = await loginAs(t, "viewer");
    const a = (await create(viewer, { name: "a" })).json().data;
    const b = (await create(viewer, { name: "b" })).json().data;
    const dup = await create(viewer, { name: "A" });
    expect(dup.statusCode).toBe(409);

    // Signing out (even with the token) ends sessions, not tokens.
    await t.app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: bearer(a.token) });
    await t.app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: viewer.headers });
    expect((await get("/api/v1/auth/me", bearer(a.token))).statusCode).toBe(200);
    const fresh = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: viewer.user.email, password: viewer.password },
    });
    const session = { authorization: `Bearer ${fresh.json().data.access_token}` };

    // A token cannot manage tokens.
    const minted = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/tokens",
      headers: bearer(a.token),
      payload: { name: "child" },
    });
    expect(minted.statusCode).toBe(403);

    const revoke = await t.app.inject({ method: "DELETE", url: `/api/v1/auth/tokens/${a.id}`, headers: session });
    expect(revoke.statusCode).toBe(200);
    const revoked = await get("/api/v1/auth/me", bearer(a.token));
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().detail).toBe("API token revoked");
    const again = await t.app.inject({ method: "DELETE", url: `/api/v1/auth/tokens/${a.id}`, headers: session });
    expect(again.statusCode).toBe(409);

    await t.database.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.id, b.id));
    const expired = await get("/api/v1/auth/me", bearer(b.token));
    expect(expired.statusCode).toBe(401);
    expect(expired.json().detail).toBe("API token expired");
    expect((await get("/api/v1/auth/me", bearer("hpt_unknown"))).json().detail).toBe("Invalid API token");

    const c = (await create({ ...viewer, headers: session } as Session, { name: "c" })).json().data;
    await t.database.db.update(users).set({ isActive: false }).where(eq(users.id, viewer.user.id));
    t.app.forgetUser(viewer.user.id);
    expect((await get("/api/v1/auth/me", bearer(c.token))).statusCode).toBe(401);
  });

  it("another user's token is 404 to a non-admin; an admin may list and revoke it", async () => {
    const owner = await loginAs(t, "operator");
    const other = await loginAs(t, "operator");
    const admin = await loginAs(t, "admin");
    const { id } = (await create(owner, { name: "mine" })).json().data;
    const del = await t.app.inject({ method: "DELETE", url: `/api/v1/auth/tokens/${id}`, headers: other.headers });
    expect(del.statusCode).toBe(404);
    expect((await get(`/api/v1/auth/tokens?user_id=${owner.user.id}`, other.headers)).statusCode).toBe(403);
    const listed = await get(`/api/v1/auth/tokens?user_id=${owner.user.id}`, admin.headers);
    expect(listed.json().tokens.map((x: { id: number }) => x.id)).toEqual([id]);
    const byAdmin = await t.app.inject({ method: "DELETE", url: `/api/v1/auth/tokens/${id}`, headers: admin.headers });
    expect(byAdmin.statusCode).toBe(200);
  });

  it("rejects bad input naming the field", async () => {
    const viewer = await loginAs(t, "viewer");
    for (const [payload, field] of [
      [{ name: "" }, "name"],
      [{ name: "x", scope: "root" }, "scope"],
      [{ name: "x", expires_in_days: 0 }, "expires_in_days"],
      [{ name: "x", expires_in_days: 3650 }, "expires_in_days"],
    ] as const) {
      const res = await create(viewer, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().detail).toContain(field);
    }
    expect((await t.app.inject({ method: "GET", url: "/api/v1/auth/tokens" })).statusCode).toBe(401);
  });
});
