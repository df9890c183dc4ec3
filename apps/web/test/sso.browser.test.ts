/**
 * Single sign-on in a real browser against a real OpenID Connect provider (oidc-provider, started here): the login
 * page offers "Sign in with <name>", the provider's own login and consent pages are filled in, and the browser
 * lands signed in on the dashboard page it asked for, as a just-in-time user with the role its groups map to.
 * An address of another domain is turned away with the reason and a way back.
 */
import { startTestOidcProvider, type TestOidcProvider } from "@homepot/server/testing-oidc";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, freePort, haveChromium, startBrowserSuite } from "./harness.ts";

describe.skipIf(!haveChromium())("sign-in with an OpenID Connect provider", () => {
  let suite: BrowserSuite;
  let idp: TestOidcProvider;

  beforeAll(async () => {
    const port = await freePort();
    // The server's default redirect URL is its own address: http://127.0.0.1:<port>/api/v1/auth/oidc/callback.
    idp = await startTestOidcProvider(`http://127.0.0.1:${port}/api/v1/auth/oidc/callback`);
    idp.accounts.set("olga", { email: "olga@shop.example", email_verified: true, name: "Olga", groups: ["pos-ops"] });
    idp.accounts.set("mallory", { email: "mallory@elsewhere.example", email_verified: true });
    suite = await startBrowserSuite({
      env: {
        HOMEPOT_OIDC_ISSUER: idp.issuer,
        HOMEPOT_OIDC_CLIENT_ID: idp.clientId,
        HOMEPOT_OIDC_CLIENT_SECRET: idp.clientSecret,
        HOMEPOT_OIDC_ALLOWED_DOMAINS: "shop.example",
        HOMEPOT_OIDC_ROLE_MAP: "pos-ops=operator",
        HOMEPOT_OIDC_NAME: "Shop ID",
      },
      port,
    });
  }, 300_000);

  afterAll(async () => {
    await suite?.stop();
    await idp?.close();
  });

  /** From the login page through the provider's login and consent pages. */
  async function signInAtProvider(page: Page, login: string, from = "/login") {
    await page.goto(`${suite.base}${from}`);
    await page.getByRole("link", { name: "Sign in with Shop ID" }).click();
    await page.locator("input[name=login]").fill(login);
    await page.locator("input[name=password]").fill("whatever");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
  }

  it("signs a new operator in and lands on the page they asked for", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInAtProvider(page, "olga", "/login?next=%2Fdevices");
    await page.waitForURL(`${suite.base}/devices`);
    await page.getByRole("heading", { level: 1, name: "Devices" }).waitFor();
    const me = await page.evaluate(async () => (await fetch("/api/v1/auth/me")).json());
    expect(me.data).toMatchObject({ email: "olga@shop.example", role: "operator", full_name: "Olga" });
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "refresh_token")).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(cookies.find((c) => c.name === "oidc_flow")).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("turns away an address of another domain with the reason and a way back", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await signInAtProvider(page, "mallory");
    await expect(page.locator("#sso-error").textContent()).resolves.toMatch(/elsewhere\.example may not sign in/);
    await page.getByRole("link", { name: "Back to sign-in" }).click();
    await page.getByRole("link", { name: "Sign in with Shop ID" }).waitFor();
    const me = await page.evaluate(async () => (await fetch("/api/v1/auth/me")).status);
    expect(me).toBe(401);
    await context.close();
  });
});
