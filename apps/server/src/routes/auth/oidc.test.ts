import { createUser, updateUser } from "@homepot/core";
import { auditLogs, tenantMemberships, tenants, users } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing.ts";
import { PUBLIC_CLIENT_ID, startTestOidcProvider, type TestOidcProvider } from "../../testing-oidc.ts";

// A real OpenID Connect provider (oidc-provider) on this machine; HOMEPOT discovers it and signs people in with it.
const REDIRECT = "http://homepot.test/api/v1/auth/oidc/callback";
let idp: TestOidcProvider;
let t: TestApp;
beforeAll(async () => {
  idp = await startTestOidcProvider(REDIRECT);
  t = await createTestApp({
    env: {
      HOMEPOT_OIDC_ISSUER: idp.issuer,
      HOMEPOT_OIDC_CLIENT_ID: idp.clientId,
      HOMEPOT_OIDC_CLIENT_SECRET: idp.clientSecret,
      HOMEPOT_OIDC_REDIRECT_URL: REDIRECT,
      HOMEPOT_OIDC_ALLOWED_DOMAINS: "shop.example, example.org",
      HOMEPOT_OIDC_ROLE_MAP: "homepot-admins=admin,pos-ops=operator",
      HOMEPOT_OIDC_NAME: "Test IdP",
    },
  });
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

/** The whole flow as a browser does it: HOMEPOT's redirect, the provider's forms, back to HOMEPOT's callback. */
async function ssoAs(login: string, on: TestApp = t) {
  const start = await on.app.inject({ method: "GET", url: "/api/v1/auth/oidc/login?next=/devices" });
  expect(start.statusCode).toBe(302);
  const flow = start.cookies.find((c) => c.name === "oidc_flow");
  expect(flow).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/api/v1/auth/oidc" });
  const authorization = new URL(start.headers.location as string);
  expect(authorization.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorization.searchParams.get("nonce")).toBeTruthy();
  const back = await idp.signIn(authorization.href, login);
  const res = await on.app.inject({
    method: "GET",
    url: `/api/v1/auth/oidc/callback${back.search}`,
    cookies: { oidc_flow: flow?.value ?? "" },
  });
  const access = res.cookies.find((c) => c.name === "access_token")?.value;
  return { res, access, back, flow: flow?.value ?? "" };
}
const me = (access_token: string) => t.app.inject({ method: "GET", url: "/api/v1/auth/me", cookies: { access_token } });
const audits = async (eventType: string) =>
  t.database.db.select().from(auditLogs).where(eq(auditLogs.eventType, eventType));

describe("single sign-on with OpenID Connect", () => {
  it("says on the login page whether it is on and how the button reads", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/config" });
    expect(res.json().data).toEqual({ enabled: true, name: "Test IdP", login_url: "/api/v1/auth/oidc/login" });
  });

  it("creates the user just in time with the mapped role and signs them in like a password login", async () => {
    idp.accounts.set("ana", { email: "Ana@Shop.example", email_verified: true, name: "Ana B", groups: ["pos-ops"] });
    const { res, access } = await ssoAs("ana");
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/devices");
    expect(res.cookies.find((c) => c.name === "refresh_token")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
      path: "/api/v1/auth",
    });
    expect(res.body).not.toMatch(/code=|id_token/);
    const who = (await me(access as string)).json().data;
    expect(who).toMatchObject({ email: "ana@shop.example", role: "operator", username: "ana", full_name: "Ana B" });
    const [row] = await t.database.db.select().from(users).where(eq(users.id, who.id));
    expect(row).toMatchObject({ oidcIssuer: idp.issuer, oidcSubject: "ana" });
    expect((await audits("oidc_user_created")).some((a) => a.userId === who.id)).toBe(true);
    expect((await audits("oidc_login")).some((a) => a.userId === who.id)).toBe(true);
  });

  it("maps a second sign-in to the same user by subject, even after the address changed", async () => {
    idp.accounts.set("ben", { email: "ben@shop.example", email_verified: true, groups: [] });
    const first = (await me((await ssoAs("ben")).access as string)).json().data;
    expect(first.role).toBe("viewer");
    idp.accounts.set("ben", { email: "benjamin@example.org", email_verified: true, groups: [] });
    const second = (await me((await ssoAs("ben")).access as string)).json().data;
    expect(second.id).toBe(first.id);
  });

  it("links an existing account with the same verified address", async () => {
    const local = await createUser(t.ctx, { email: "cleo@shop.example", password: "correct-horse-battery" });
    idp.accounts.set("cleo-sub", { email: "cleo@shop.example", email_verified: true, groups: ["homepot-admins"] });
    const who = (await me((await ssoAs("cleo-sub")).access as string)).json().data;
    expect(who).toMatchObject({ id: local.id, role: "admin" });
    expect((await audits("oidc_user_linked")).some((a) => a.userId === local.id)).toBe(true);
  });

  it("refuses other domains and unverified addresses with a clear reason, audited", async () => {
    idp.accounts.set("eve", { email: "eve@evil.example", email_verified: true });
    const foreign = await ssoAs("eve");
    expect(foreign.res.statusCode).toBe(403);
    expect(foreign.res.json().detail).toMatch(/evil\.example may not sign in.*shop\.example, example\.org/);
    expect(foreign.access).toBeUndefined();
    idp.accounts.set("dan", { email: "dan@shop.example", email_verified: false });
    const unverified = await ssoAs("dan");
    expect(unverified.res.statusCode).toBe(403);
    expect(unverified.res.json().detail).toMatch(/not confirm that your e-mail address is verified/);
    const refused = (await audits("oidc_login_refused")).map((a) => (a.eventMetadata as { reason: string }).reason);
    expect(refused).toEqual(expect.arrayContaining(["domain_not_allowed", "email_not_verified"]));
    const [created] = await t.database.db.select().from(users).where(eq(users.email, "dan@shop.example"));
    expect(created).toBeUndefined();
  });

  it("takes Microsoft Entra's xms_edov for a verified address when email_verified is not sent at all", async () => {
    idp.accounts.set("ida", { email: "ida@shop.example", xms_edov: true });
    expect((await ssoAs("ida")).res.statusCode).toBe(303);
    idp.accounts.set("ivo", { email: "ivo@shop.example", xms_edov: false });
    expect((await ssoAs("ivo")).res.statusCode).toBe(403);
  });

  it("answers 400 with a reason for a missing, forged or replayed state, and never leaks the code", async () => {
    idp.accounts.set("fay", { email: "fay@shop.example", email_verified: true });
    const start = await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/login" });
    const back = await idp.signIn(start.headers.location as string, "fay");
    const noCookie = await t.app.inject({ method: "GET", url: `/api/v1/auth/oidc/callback${back.search}` });
    expect(noCookie.statusCode).toBe(400);
    expect(noCookie.json().detail).toMatch(/No single sign-on in progress/);
    const flow = start.cookies.find((c) => c.name === "oidc_flow")?.value ?? "";
    const forged = new URL(back);
    forged.searchParams.set("state", "forged");
    const wrong = await t.app.inject({
      method: "GET",
      url: `/api/v1/auth/oidc/callback${forged.search}`,
      cookies: { oidc_flow: flow },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().detail).toMatch(/state does not match/);
    const garbled = await t.app.inject({
      method: "GET",
      url: `/api/v1/auth/oidc/callback${back.search}`,
      cookies: { oidc_flow: `${flow.slice(0, -4)}AAAA` },
    });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json().detail).toMatch(/expired or is not valid/);
    const ok = await t.app.inject({
      method: "GET",
      url: `/api/v1/auth/oidc/callback${back.search}`,
      cookies: { oidc_flow: flow },
    });
    expect(ok.statusCode).toBe(303);
    // The code is used up: replaying the same answer fails at the provider, without echoing the code.
    const replay = await t.app.inject({
      method: "GET",
      url: `/api/v1/auth/oidc/callback${back.search}`,
      cookies: { oidc_flow: flow },
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.body).not.toContain(back.searchParams.get("code") as string);
    expect(replay.body).not.toContain(idp.clientSecret);
  });

  it("shows a browser the reason on a page with a way back to the login", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/oidc/callback?state=x&code=y",
      headers: { accept: "text/html" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.body).toMatch(/No single sign-on in progress[\s\S]*href="\/login"/);
  });

  it("applies the mapped role on every sign-in: a demotion takes effect and is audited", async () => {
    idp.accounts.set("gil", { email: "gil@shop.example", email_verified: true, groups: ["homepot-admins", "pos-ops"] });
    const first = (await me((await ssoAs("gil")).access as string)).json().data;
    expect(first.role).toBe("admin");
    idp.accounts.set("gil", { email: "gil@shop.example", email_verified: true, groups: ["pos-ops"] });
    const second = (await me((await ssoAs("gil")).access as string)).json().data;
    expect(second).toMatchObject({ id: first.id, role: "operator" });
    const changes = await audits("user_updated");
    expect(changes.some((a) => a.description?.includes("role admin → operator") && a.description.includes("gil"))).toBe(
      true,
    );
  });

  it("refuses a disabled user", async () => {
    idp.accounts.set("hal", { email: "hal@shop.example", email_verified: true });
    const who = (await me((await ssoAs("hal")).access as string)).json().data;
    await updateUser(t.ctx, who.id, { isActive: false });
    const again = await ssoAs("hal");
    expect(again.res.statusCode).toBe(403);
    expect(again.res.json().detail).toMatch(/disabled/);
    expect(again.access).toBeUndefined();
  });
});

describe("single sign-on as a public client (no secret, PKCE alone)", () => {
  it("signs in", async () => {
    const pub = await createTestApp({
      env: {
        HOMEPOT_OIDC_ISSUER: idp.issuer,
        HOMEPOT_OIDC_CLIENT_ID: PUBLIC_CLIENT_ID,
        HOMEPOT_OIDC_REDIRECT_URL: REDIRECT,
      },
    });
    try {
      idp.accounts.set("pia", { email: "pia@anywhere.example", email_verified: true });
      const { res, access } = await ssoAs("pia", pub);
      expect(res.statusCode).toBe(303);
      const who = await pub.app.inject({
        method: "GET",
        url: "/api/v1/auth/me",
        cookies: { access_token: access ?? "" },
      });
      expect(who.json().data).toMatchObject({ email: "pia@anywhere.example", role: "viewer" });
    } finally {
      await pub.close();
    }
  });
});

describe("single sign-on switched off", () => {
  it("says so, and its routes answer 404", async () => {
    const off = await createTestApp();
    try {
      expect((await off.app.inject({ method: "GET", url: "/api/v1/auth/oidc/config" })).json().data.enabled).toBe(
        false,
      );
      expect((await off.app.inject({ method: "GET", url: "/api/v1/auth/oidc/login" })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe("single sign-on into a tenant (HOMEPOT_OIDC_TENANT)", () => {
  it("puts people in that tenant with their mapped role; an admin there is the tenant's admin, not a platform admin", async () => {
    const scoped = await createTestApp({
      env: {
        HOMEPOT_OIDC_ISSUER: idp.issuer,
        HOMEPOT_OIDC_CLIENT_ID: PUBLIC_CLIENT_ID,
        HOMEPOT_OIDC_REDIRECT_URL: REDIRECT,
        HOMEPOT_OIDC_ROLE_MAP: "homepot-admins=admin,pos-ops=operator",
        HOMEPOT_OIDC_TENANT: "SSO-Shop",
      },
    });
    try {
      const [here] = await scoped.database.db
        .insert(tenants)
        .values({ name: "SSO Shop", slug: "sso-shop" })
        .returning();
      idp.accounts.set("tia", { email: "tia@shop.example", email_verified: true, groups: ["homepot-admins"] });
      const { res, access } = await ssoAs("tia", scoped);
      expect(res.statusCode).toBe(303);
      const who = await scoped.app.inject({
        method: "GET",
        url: "/api/v1/auth/me",
        cookies: { access_token: access ?? "" },
      });
      expect(who.json().data).toMatchObject({ email: "tia@shop.example", role: "admin", is_admin: false });
      const [membership] = await scoped.database.db
        .select()
        .from(tenantMemberships)
        .where(eq(tenantMemberships.userId, who.json().data.id));
      expect(membership).toMatchObject({ tenantId: here?.id, role: "admin" });
      // A tenant admin manages that tenant, not tenants.
      const headers = { authorization: `Bearer ${access}` };
      expect((await scoped.app.inject({ method: "GET", url: "/api/v1/tenants", headers })).json()).toEqual([
        expect.objectContaining({ slug: "sso-shop" }),
      ]);
      const create = await scoped.app.inject({
        method: "POST",
        url: "/api/v1/tenants",
        headers,
        payload: { name: "X", slug: "x-shop" },
      });
      expect(create.statusCode).toBe(403);
    } finally {
      await scoped.close();
    }
  });
});
