import { auditLogs } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

/** The admin's Users page API: list, role change, disable, password reset (issue 20 §2). */
let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, "admin");
});
afterAll(async () => t.close());

const patch = (id: number, payload: Record<string, unknown>, headers = admin.headers) =>
  t.app.inject({ method: "PATCH", url: `/api/v1/users/${id}`, headers, payload });
const me = (headers: Record<string, string>) => t.app.inject({ method: "GET", url: "/api/v1/auth/me", headers });

describe("users (admin)", () => {
  it("lists every user without a password hash", async () => {
    const op = await loginAs(t, "operator");
    const res = await t.app.inject({ method: "GET", url: "/api/v1/users", headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().count).toBeGreaterThanOrEqual(2);
    expect(res.json().users.find((u: { id: number }) => u.id === op.user.id)).toMatchObject({
      username: op.user.username,
      role: "operator",
      is_active: true,
    });
    expect(res.body).not.toMatch(/\$2[aby]\$|hashed_password|token_version/);
  });

  it("changes a role (effective at once, audited with the admin and the client IP)", async () => {
    const v = await loginAs(t, "viewer");
    const res = await patch(v.user.id, { role: "operator" });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ role: "operator", is_admin: false });
    expect((await me(v.headers)).json().data.role).toBe("operator");
    const [audit] = (await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "user_updated"))).slice(
      -1,
    );
    expect(audit).toMatchObject({
      userId: admin.user.id,
      ipAddress: "127.0.0.1",
      newValues: { role: "operator", is_active: true },
    });
  });

  it("disabling ends the user's sessions; enabling again does not revive the old token", async () => {
    const v = await loginAs(t, "viewer");
    expect((await patch(v.user.id, { is_active: false })).statusCode).toBe(200);
    expect((await me(v.headers)).statusCode).toBe(401);
    const login = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: v.email, password: v.password },
    });
    expect(login.statusCode).toBe(401);
    expect((await patch(v.user.id, { is_active: true })).statusCode).toBe(200);
    expect((await me(v.headers)).statusCode).toBe(401);
  });

  it("resets a password: given or generated (answered once); old password and sessions stop working", async () => {
    const v = await loginAs(t, "viewer");
    const given = await t.app.inject({
      method: "POST",
      url: `/api/v1/users/${v.user.id}/reset-password`,
      headers: admin.headers,
      payload: { password: "brand-new-pass-1" },
    });
    expect(given.json()).toMatchObject({ success: true, data: { generated_password: null } });
    expect((await me(v.headers)).statusCode).toBe(401);
    const generated = await t.app.inject({
      method: "POST",
      url: `/api/v1/users/${v.user.id}/reset-password`,
      headers: admin.headers,
      payload: {},
    });
    const password = generated.json().data.generated_password as string;
    expect(password.length).toBeGreaterThanOrEqual(12);
    const login = (pw: string) =>
      t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: v.email, password: pw } });
    expect((await login("brand-new-pass-1")).statusCode).toBe(401);
    expect((await login(password)).statusCode).toBe(200);
    const audits = await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "password_reset"));
    expect(JSON.stringify(audits)).not.toContain(password);
    const weak = await t.app.inject({
      method: "POST",
      url: `/api/v1/users/${v.user.id}/reset-password`,
      headers: admin.headers,
      payload: { password: "password" },
    });
    expect(weak.statusCode).toBe(422);
  });

  it("an admin cannot demote or disable themselves, nor remove the last admin", async () => {
    expect((await patch(admin.user.id, { role: "viewer" })).json().detail).toMatch(/your own role/);
    expect((await patch(admin.user.id, { is_active: false })).json().detail).toMatch(/your own account/);
    const other = await loginAs(t, "admin");
    // Two admins: one may demote the other, but then not be demoted by anyone (the last one).
    expect((await patch(other.user.id, { role: "operator" })).statusCode).toBe(200);
    const list = await t.app.inject({ method: "GET", url: "/api/v1/users", headers: admin.headers });
    const admins = list
      .json()
      .users.filter((u: { role: string; is_active: boolean }) => u.role === "admin" && u.is_active);
    expect(admins).toHaveLength(1);
  });

  it("answers 404 for an unknown user and names a bad field", async () => {
    expect((await patch(999_999, { role: "viewer" })).statusCode).toBe(404);
    const bad = await patch(admin.user.id, { role: "superuser" });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("role");
    expect((await patch(admin.user.id, {})).statusCode).toBe(422);
  });

  it("only admins reach any of it", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/users" }, "admin");
    await expectRequiresRole(t, { method: "PATCH", url: "/api/v1/users/1", payload: { role: "admin" } }, "admin");
    await expectRequiresRole(t, { method: "POST", url: "/api/v1/users/1/reset-password", payload: {} }, "admin");
  });
});
