/**
 * The Profile page in a real browser as a viewer: an API token is created (read-only is the only scope a viewer
 * is offered), shown once, works as a bearer token, and stops working when revoked from the page; the access token
 * is renewed silently with the refresh cookie, and the sessions list signs another session out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, startBrowserSuite } from "./harness.ts";

const VIEWER = { email: "profile-viewer@example.com", password: "profile-viewer-pass-1" };

describe.skipIf(!haveChromium())("the Profile page", () => {
  let suite: BrowserSuite;

  beforeAll(async () => {
    suite = await startBrowserSuite({ users: [{ ...VIEWER, username: "profile_viewer" }] });
  }, 300_000);

  afterAll(() => suite?.stop());

  const me = (token: string) =>
    fetch(`${suite.base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  it("a viewer creates a read-only API token, sees it once, uses it, and revokes it", async () => {
    const { page, failures, close } = await suite.open(VIEWER);
    await page.goto(`${suite.base}/profile`);
    const card = page.locator("#api-tokens");
    await card.getByText("No API tokens yet.").waitFor();
    const scope = card.getByLabel("Scope");
    await expect(scope.locator("option").allTextContents()).resolves.toEqual(["read-only"]);

    await card.getByLabel("Name").fill("export script");
    await card.getByRole("button", { name: "Create token" }).click();
    const token = (await card.locator("#api-token-value").textContent()) ?? "";
    expect(token).toMatch(/^hpt_/);
    await card.getByRole("cell", { name: "export script" }).waitFor();
    expect(await me(token)).toBe(200);

    // Reloading the page never shows the token again.
    await page.reload();
    await card.getByRole("cell", { name: "export script" }).waitFor();
    await expect(page.content()).resolves.not.toContain(token);

    page.once("dialog", (dialog) => void dialog.accept());
    await card.getByRole("button", { name: "Revoke" }).click();
    await card.getByText("revoked").waitFor();
    expect(await me(token)).toBe(401);
    expect(failures).toEqual([]);
    await close();
  });

  it("renews an expired access token silently and signs out another session from the list", async () => {
    const { page, failures, close } = await suite.open(VIEWER);
    const other = await fetch(`${suite.base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "till-browser" },
      body: JSON.stringify(VIEWER),
    });
    const otherToken = (await other.json()).data.access_token;
    expect(await me(otherToken)).toBe(200);

    // The access cookie is gone (as after its 15 minutes): the page still opens, with no sign-in asked.
    await page.context().clearCookies({ name: "access_token" });
    await page.goto(`${suite.base}/profile`);
    const sessions = page.locator("#sessions");
    await sessions.getByText("this browser").waitFor();
    await expect(page.context().cookies()).resolves.toContainEqual(expect.objectContaining({ name: "access_token" }));

    page.once("dialog", (dialog) => void dialog.accept());
    await sessions
      .getByRole("row", { name: /till-browser/ })
      .getByRole("button", { name: "Sign out" })
      .click();
    await sessions.getByText("till-browser").waitFor({ state: "detached" });
    expect(await me(otherToken)).toBe(401);
    expect(failures).toEqual([]);
    await close();
  });
});
