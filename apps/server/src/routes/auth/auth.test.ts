import { auditLogs, users } from "@homepot/db";
import { eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { HOMEPOT_SIGNUP: "open" } });
});
afterAll(async () => t.close());

const signup = (payload: unknown) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: payload as object });

describe("signup", () => {
  it("creates a viewer and never returns the password hash", async () => {
    const res = await signup({ email: "New.User@Example.com", password: "s3cret-pass", full_name: "New User" });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.success).toBe(true);
    expect(body.data).toMatchObject({
      email: "new.user@example.com",
      username: "new.user",
      role: "viewer",
      is_admin: false,
    });
    expect(res.body).not.toMatch(/hashed_password|\$2[aby]\$/);
    const [row] = await t.database.db.select().from(users).where(eq(users.email, "new.user@example.com"));
    expect(row?.hashedPassword).toMatch(/^\$2[aby]\$11\$/);
    expect(row?.hashedPassword).not.toContain("s3cret-pass");
  });

  it("answers 409 for an email that exists, in any case, and /register is an alias", async () => {
    await signup({ email: "dup@example.com", password: "password-1" });
    const again = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/register",
      payload: { email: "DUP@example.com", password: "password-2" },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/exists/);
  });

  it("refuses the most common passwords and the account's own name", async () => {
    for (const password of ["password", "Password1", "12345678", "qwertyuiop", "iloveyou"]) {
      const res = await signup({ email: "weak@example.com", password });
      expect(res.statusCode, password).toBe(422);
      expect(res.json().errors[0].field).toBe("password");
    }
    const own = await signup({ email: "samesame@example.com", password: "samesame@example.com" });
    expect(own.json().detail).toMatch(/e-mail address or username/);
  });

  it("signing up logs in: the cookie and the returned token open the session", async () => {
    const res = await signup({ email: "straight-in@example.com", password: "straight-in-pass" });
    expect(res.statusCode).toBe(201);
    const token = res.json().data.access_token;
    expect(res.cookies.find((c) => c.name === "access_token")?.value).toBe(token);
    const me = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json().data.email).toBe("straight-in@example.com");
  });

  it("names the wrong field", async () => {
    const res = await signup({ email: "not-an-email", password: "short" });
    expect(res.statusCode).toBe(422);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["email", "password"]));
  });
});

describe("login", () => {
  it("returns the original envelope and an httpOnly SameSite cookie, and audits the login", async () => {
    await signup({ email: "op@example.com", password: "operator-pass", username: "op1" });
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "op@example.com", password: "operator-pass" },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      success: true,
      data: { token_type: "bearer", username: "op1", email: "op@example.com", role: "viewer", is_admin: false },
    });
    expect(typeof body.data.access_token).toBe("string");
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/^access_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const audits = await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "login_success"));
    expect(audits.length).toBeGreaterThan(0);
  });

  it("rejects a wrong password and an unknown user alike, and audits the failure", async () => {
    await signup({ email: "pw@example.com", password: "right-password" });
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "pw@example.com", password: "wrong-password" },
    });
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "nobody@example.com", password: "whatever1" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    const failures = await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "login_failed"));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(failures)).not.toContain("wrong-password");
  });

  it("a password typed into the e-mail field never reaches audit_logs; the client IP does", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "Tr0ub4dor&3-typed-here", password: "whatever1" },
    });
    expect(res.statusCode).toBe(401);
    const rows = await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "login_failed"));
    expect(JSON.stringify(rows)).not.toContain("Tr0ub4dor");
    expect(rows.at(-1)?.description).toBe("Failed login for (not an e-mail address)");
    expect(rows.at(-1)?.ipAddress).toBe("127.0.0.1");
  });

  it("refuses a disabled account", async () => {
    const { user, email, password } = await loginAs(t, "operator");
    await t.database.db.update(users).set({ isActive: false }).where(eq(users.id, user.id));
    const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });
    expect(res.statusCode).toBe(401);
  });
});

describe("me and tokens", () => {
  it("accepts the token from the Authorization header and from the cookie", async () => {
    const { token, email } = await loginAs(t, "operator");
    const viaHeader = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaHeader.statusCode).toBe(200);
    expect(viaHeader.json().data).toMatchObject({ email, role: "operator" });
    const viaCookie = await t.app.inject({ method: "GET", url: "/api/v1/auth/me", cookies: { access_token: token } });
    expect(viaCookie.statusCode).toBe(200);
  });

  it("rejects missing, tampered, foreign-signed and expired tokens", async () => {
    const { token } = await loginAs(t, "viewer");
    const me = (authorization?: string) =>
      t.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: authorization ? { authorization } : {} });
    expect((await me()).statusCode).toBe(401);
    const [h, p, s] = token.split(".");
    const payload = JSON.parse(Buffer.from(p ?? "", "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, role: "admin" })).toString("base64url");
    expect((await me(`Bearer ${h}.${forged}.${s}`)).statusCode).toBe(401);
    const foreign = await new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(String(payload.sub))
      .setIssuer("homepot")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("some-other-secret-some-other-secret!!"));
    expect((await me(`Bearer ${foreign}`)).statusCode).toBe(401);
    const expired = await t.app.tokens.sign({
      id: Number(payload.sub),
      email: "x@example.com",
      username: "x",
      role: "viewer",
      tokenVersion: 0,
    });
    const expiredToken = await new SignJWT({ role: "viewer" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(String(payload.sub))
      .setIssuer("homepot")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(t.config.jwtSecret));
    expect((await me(`Bearer ${expired}`)).statusCode).toBe(200);
    expect((await me(`Bearer ${expiredToken}`)).statusCode).toBe(401);
  });

  it("logout clears the cookie", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/logout" });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers["set-cookie"])).toMatch(/access_token=;.*Expires=Thu, 01 Jan 1970/);
  });

  it("logout ends this session: a copy of its token no longer works, another sign-in still does; audited", async () => {
    const { token, email, password, user } = await loginAs(t, "operator");
    const other = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });
    const me = (access_token: string) =>
      t.app.inject({ method: "GET", url: "/api/v1/auth/me", cookies: { access_token } });
    expect((await me(token)).statusCode).toBe(200);
    const out = await t.app.inject({ method: "POST", url: "/api/v1/auth/logout", cookies: { access_token: token } });
    expect(out.statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(401);
    const otherToken = other.json().data.access_token;
    expect((await me(otherToken)).statusCode).toBe(200);
    const audits = await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "logout"));
    expect(audits.some((a) => a.userId === user.id)).toBe(true);
    // Signing out everywhere ends every session of the user.
    const all = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout-all",
      cookies: { access_token: otherToken },
    });
    expect(all.statusCode).toBe(200);
    expect((await me(otherToken)).statusCode).toBe(401);
    const again = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });
    expect((await me(again.json().data.access_token)).statusCode).toBe(200);
  });
});

describe("role guard", () => {
  it("ranks admin over operator over viewer and reads the current role from the database", async () => {
    const probe = t.app;
    const { token, user } = await loginAs(t, "admin");
    const headers = { authorization: `Bearer ${token}` };
    const ok = await probe.inject({ method: "GET", url: "/api/v1/auth/me", headers });
    expect(ok.json().data.role).toBe("admin");
    // A demotion takes effect without waiting for the token to expire.
    await t.database.db.update(users).set({ role: "viewer", isAdmin: false }).where(eq(users.id, user.id));
    t.app.forgetUser(user.id);
    const after = await probe.inject({ method: "GET", url: "/api/v1/auth/me", headers });
    expect(after.json().data.role).toBe("viewer");
  });
});
