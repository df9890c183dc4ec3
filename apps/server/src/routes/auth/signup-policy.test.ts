import { auditLogs, invitations, users } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

/** HOMEPOT_SIGNUP=open|invite|off, invitations, and HOMEPOT_FIRST_SIGNUP_ADMIN (issue 23 §4, issue 20 §2). */
const apps: TestApp[] = [];
async function appWith(env: Record<string, string> = {}) {
  const t = await createTestApp({ env });
  apps.push(t);
  return t;
}
afterAll(async () => {
  for (const t of apps) await t.close();
});

const signup = (t: TestApp, payload: Record<string, unknown>) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload });

describe("default policy: sign-up by invitation only", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  beforeAll(async () => {
    t = await appWith();
    admin = await loginAs(t, "admin");
  });

  it("refuses a sign-up without an invitation, creating nothing, and says so on /signup-info", async () => {
    const res = await signup(t, { email: "walk-in@example.com", password: "walk-in-password" });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/invitation/);
    expect(await t.database.db.select().from(users).where(eq(users.email, "walk-in@example.com"))).toEqual([]);
    const info = await t.app.inject({ method: "GET", url: "/api/v1/auth/signup-info" });
    expect(info.json().data).toEqual({ mode: "invite", first_signup_admin: false, has_admin: true });
  });

  it("an admin's invitation: token shown once, stored hashed, usable once, with its role; sign-up logs in", async () => {
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/invitations",
      headers: admin.headers,
      payload: { role: "operator" },
    });
    expect(created.statusCode).toBe(201);
    const { token, url, id, status } = created.json().data;
    expect(status).toBe("pending");
    expect(token).toMatch(/^hpi_[A-Za-z0-9_-]{40,}$/);
    expect(url).toContain(`/signup?invite=${token}`);
    const [row] = await t.database.db.select().from(invitations).where(eq(invitations.id, id));
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
    const listed = await t.app.inject({ method: "GET", url: "/api/v1/users/invitations", headers: admin.headers });
    expect(listed.body).not.toContain(token);
    expect(listed.json().invitations[0]).toMatchObject({
      id,
      role: "operator",
      created_by_username: admin.user.username,
    });

    const res = await signup(t, { email: "invited@example.com", password: "invited-password", invite_token: token });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ email: "invited@example.com", role: "operator", token_type: "bearer" });
    // Signed in: the cookie and the token both work at once.
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/^access_token=[^;]+;.*HttpOnly/i);
    const me = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/me",
      cookies: { access_token: String(res.cookies[0]?.value) },
    });
    expect(me.json().data).toMatchObject({ email: "invited@example.com", role: "operator" });

    const again = await signup(t, { email: "second@example.com", password: "second-password", invite_token: token });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({
      detail: "this invitation has been used",
      errors: [{ field: "invite_token" }],
    });
    const after = await t.app.inject({ method: "GET", url: "/api/v1/users/invitations", headers: admin.headers });
    expect(after.json().invitations.find((i: { id: number }) => i.id === id).status).toBe("used");
  });

  it("an invitation bound to an address, a revoked one, an expired one and a made-up one are refused", async () => {
    const invite = async (payload: Record<string, unknown>) =>
      (await t.app.inject({ method: "POST", url: "/api/v1/users/invitations", headers: admin.headers, payload })).json()
        .data;
    const bound = await invite({ email: "only-her@example.com" });
    const other = await signup(t, {
      email: "not-her@example.com",
      password: "a-fine-password",
      invite_token: bound.token,
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().detail).toMatch(/another e-mail/);

    const revoked = await invite({});
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/users/invitations/${revoked.id}`,
      headers: admin.headers,
    });
    expect(del.statusCode).toBe(200);
    expect(
      (await signup(t, { email: "r@example.com", password: "a-fine-password", invite_token: revoked.token })).json()
        .detail,
    ).toMatch(/revoked/);
    const twice = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/users/invitations/${revoked.id}`,
      headers: admin.headers,
    });
    expect(twice.statusCode).toBe(409);

    const expired = await invite({ expires_in_hours: 1 });
    await t.database.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, expired.id));
    expect(
      (await signup(t, { email: "e@example.com", password: "a-fine-password", invite_token: expired.token })).json()
        .detail,
    ).toMatch(/expired/);

    const madeUp = await signup(t, {
      email: "m@example.com",
      password: "a-fine-password",
      invite_token: "hpi_made-up",
    });
    expect(madeUp.statusCode).toBe(422);
    expect(madeUp.json().errors[0].field).toBe("invite_token");
  });

  it("only admins invite", async () => {
    await expectRequiresRole(t, { method: "POST", url: "/api/v1/users/invitations", payload: {} }, "admin");
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/users/invitations" }, "admin");
    await expectRequiresRole(t, { method: "DELETE", url: "/api/v1/users/invitations/1" }, "admin");
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/users/invitations",
      headers: admin.headers,
      payload: { role: "root" },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("role");
  });
});

// Each app is built in a hook (which may take longer than a test on a busy machine), not inside the test.
describe("HOMEPOT_SIGNUP=off", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ HOMEPOT_SIGNUP: "off" });
  });
  it("refuses every sign-up, invitations included", async () => {
    const admin = await loginAs(t, "admin");
    const { token } = (
      await t.app.inject({ method: "POST", url: "/api/v1/users/invitations", headers: admin.headers, payload: {} })
    ).json().data;
    for (const body of [{}, { invite_token: token }]) {
      const res = await signup(t, { email: "x@example.com", password: "a-fine-password", ...body });
      expect(res.statusCode).toBe(403);
      expect(res.json().detail).toMatch(/disabled/);
    }
  });
});

describe("HOMEPOT_SIGNUP=open", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ HOMEPOT_SIGNUP: "open" });
  });
  it("lets anyone sign up as a viewer", async () => {
    const res = await signup(t, { email: "anyone@example.com", password: "a-fine-password" });
    expect(res.statusCode).toBe(201);
    expect(res.json().data.role).toBe("viewer");
  });
});

describe("HOMEPOT_FIRST_SIGNUP_ADMIN=on", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ HOMEPOT_FIRST_SIGNUP_ADMIN: "on" });
  });
  it("makes only the first sign-up admin, without an invitation; later ones need one; audited", async () => {
    const info = await t.app.inject({ method: "GET", url: "/api/v1/auth/signup-info" });
    expect(info.json().data).toEqual({ mode: "invite", first_signup_admin: true, has_admin: false });
    const [first, second] = await Promise.all([
      signup(t, { email: "first@example.com", password: "first-password" }),
      signup(t, { email: "second@example.com", password: "second-password" }),
    ]);
    const codes = [first.statusCode, second.statusCode].sort();
    expect(codes).toEqual([201, 403]);
    const winner = first.statusCode === 201 ? first : second;
    expect(winner.json().data).toMatchObject({ role: "admin", is_admin: true });
    const admins = await t.database.db.select().from(users).where(eq(users.role, "admin"));
    expect(admins).toHaveLength(1);
    const [audit] = await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "user_created"));
    expect(audit?.description).toMatch(/HOMEPOT_FIRST_SIGNUP_ADMIN/);
    expect(audit?.ipAddress).toBeTruthy();
    const later = await t.app.inject({ method: "GET", url: "/api/v1/auth/signup-info" });
    expect(later.json().data.first_signup_admin).toBe(false);
  });
});
