import { auditLogs, userSessions } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const cookieOf = (res: LightMyRequestResponse, name: string) =>
  res.cookies.find((c) => c.name === name) as { value: string; httpOnly?: boolean; sameSite?: string; path?: string };
const signIn = async (email: string, password: string, userAgent = "test-browser") => {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password },
    headers: { "user-agent": userAgent },
  });
  expect(res.statusCode).toBe(200);
  return { access: res.json().data.access_token as string, refresh: cookieOf(res, "refresh_token").value, res };
};
const refresh = (refresh_token: string) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/refresh", cookies: { refresh_token } });
const me = (access_token: string) => t.app.inject({ method: "GET", url: "/api/v1/auth/me", cookies: { access_token } });

describe("sessions: short access tokens, rotating refresh tokens", () => {
  it("signs in with a 15-minute access token and an httpOnly, SameSite=strict refresh cookie kept as a hash", async () => {
    const { email, password } = await loginAs(t, "viewer");
    const { res, refresh: token } = await signIn(email, password);
    expect(res.json().data.expires_in).toBe(900);
    const cookie = cookieOf(res, "refresh_token");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api/v1/auth" });
    expect(res.body).not.toContain(token);
    const rows = await t.database.db.select().from(userSessions);
    expect(JSON.stringify(rows)).not.toContain(token.split(".")[1]);
  });

  it("rotates on every refresh; a reused refresh token ends the session (audited)", async () => {
    const { email, password, user } = await loginAs(t, "operator");
    const first = await signIn(email, password);
    const r1 = await refresh(first.refresh);
    expect(r1.statusCode).toBe(200);
    const second = cookieOf(r1, "refresh_token").value;
    expect(second).not.toBe(first.refresh);
    expect((await me(r1.json().data.access_token)).statusCode).toBe(200);
    const r2 = await refresh(second);
    expect(r2.statusCode).toBe(200);
    const third = cookieOf(r2, "refresh_token").value;

    // `first` was rotated away twice: a thief replaying it ends the session for everyone holding it.
    const stolen = await refresh(first.refresh);
    expect(stolen.statusCode).toBe(401);
    expect(stolen.json().detail).toMatch(/reused/);
    expect((await refresh(third)).statusCode).toBe(401);
    expect((await me(r2.json().data.access_token)).statusCode).toBe(401);
    const audits = await t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, "session_token_reuse"));
    expect(audits.some((a) => a.userId === user.id)).toBe(true);
  });

  it("two tabs refreshing with the same token at once both get an access token, without ending the session", async () => {
    const { email, password } = await loginAs(t, "viewer");
    const { refresh: token } = await signIn(email, password);
    const [a, b] = [await refresh(token), await refresh(token)];
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(cookieOf(b, "refresh_token")).toBeUndefined();
    expect((await refresh(cookieOf(a, "refresh_token").value)).statusCode).toBe(200);
  });

  it("lists the user's sessions, ends another one, and a password reset ends them all", async () => {
    const { email, password, user } = await loginAs(t, "viewer");
    const laptop = await signIn(email, password, "laptop");
    const phone = await signIn(email, password, "phone");
    const list = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/sessions",
      cookies: { access_token: laptop.access },
    });
    expect(list.statusCode).toBe(200);
    const sessions = list.json().sessions as { id: string; current: boolean; user_agent: string }[];
    expect(sessions.filter((s) => s.current).map((s) => s.user_agent)).toEqual(["laptop"]);
    const phoneSession = sessions.find((s) => s.user_agent === "phone");
    expect(phoneSession).toBeDefined();
    expect(list.body).not.toContain(phone.refresh);

    const other = await loginAs(t, "viewer");
    const foreign = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/auth/sessions/${phoneSession?.id}`,
      headers: other.headers,
    });
    expect(foreign.statusCode).toBe(404);
    const end = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/auth/sessions/${phoneSession?.id}`,
      cookies: { access_token: laptop.access },
    });
    expect(end.statusCode).toBe(200);
    expect((await me(phone.access)).statusCode).toBe(401);
    expect((await refresh(phone.refresh)).statusCode).toBe(401);
    expect((await me(laptop.access)).statusCode).toBe(200);

    const admin = await loginAs(t, "admin");
    await t.app.inject({
      method: "POST",
      url: `/api/v1/users/${user.id}/reset-password`,
      headers: admin.headers,
      payload: { password: "a-brand-new-password-1" },
    });
    expect((await refresh(laptop.refresh)).statusCode).toBe(401);
  });

  it("refresh without or with a malformed cookie is a 401 saying so", async () => {
    const none = await t.app.inject({ method: "POST", url: "/api/v1/auth/refresh" });
    expect(none.statusCode).toBe(401);
    expect(none.json().detail).toMatch(/sign in/);
    expect((await refresh("hpr_nonsense")).statusCode).toBe(401);
    expect((await refresh(`hpr_${"0".repeat(24)}.${"a".repeat(43)}`)).statusCode).toBe(401);
  });
});
