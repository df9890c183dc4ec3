/**
 * Tenants in the dashboard, in a real browser against a real server: a platform admin creates a tenant, a site in
 * it and makes a user its operator (taking them out of the default tenant), gives an installer one site; the
 * operator then sees only that tenant's sites and devices, and the installer lands on Devices, sees only their
 * site's devices, may open the register form, and walks every page their navigation offers without a 4xx/5xx or a
 * page error.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, startBrowserSuite, waitFor } from "./harness.ts";

const PASSWORD = "tenants-pass-1";
const ADMIN = { email: "admin@example.com", password: PASSWORD };
const OPERATOR = { email: "op@example.com", password: PASSWORD, username: "acme_op" };
const INSTALLER = { email: "inst@example.com", password: PASSWORD, username: "acme_inst" };

describe.skipIf(!haveChromium())("tenants: a platform admin sets one up, its operator and installer use it", () => {
  let suite: BrowserSuite;
  const api: BrowserSuite["api"] = (path, init) => suite.api(path, init);
  const registerDevice = (siteId: string, deviceId: string) => suite.registerDevice(siteId, { device_id: deviceId });
  const rowText = (page: Page, table: string) => page.locator(`#${table} tbody`).textContent();

  beforeAll(async () => {
    suite = await startBrowserSuite({ admin: ADMIN, users: [OPERATOR, INSTALLER] });
    // A site of the default tenant, which the tenant's people must never see.
    await suite.siteWithDevices({ site_id: "dflt-1", name: "Default One" }, [{ device_id: "dflt-dev-1" }]);
  }, 300_000);

  afterAll(() => suite?.stop());

  it("a platform admin creates a tenant, a site in it and its members", async () => {
    const { page, failures, close } = await suite.open(ADMIN);
    page.on("dialog", (d) => void d.accept());
    await page.click("#nav-tenants");
    await page.getByRole("heading", { level: 1, name: "Tenants" }).waitFor();
    // A bad slug is refused, naming the field.
    await page.fill("#tenant-form input[name=name]", "Acme Retail");
    await page.fill("#tenant-form input[name=slug]", "Acme Retail");
    await page.click("#tenant-create");
    await page.locator("#tenant-form .error-text").first().waitFor();
    await page.fill("#tenant-form input[name=slug]", "acme");
    await page.fill("#tenant-form textarea[name=settings]", '{"region": "north"}');
    await page.click("#tenant-create");
    await page.locator('#tenants-table tr[data-slug="acme"]').waitFor();
    failures.splice(0); // the 400 of the bad slug was the point

    // A site in the new tenant, from the Sites page's picker.
    await page.click("#nav-sites");
    await page.click("#site-new");
    await page.selectOption("#site-create-form select[name=tenant_id]", { label: "Acme Retail" });
    await page.fill("#site-create-form input[name=site_id]", "acme-1");
    await page.fill("#site-create-form input[name=name]", "Acme One");
    await page.click("#site-create-form button[type=submit]");
    await page.getByRole("heading", { level: 1, name: "Acme One" }).waitFor();
    const acme = (await api("/tenants")).body.find((t: { slug: string }) => t.slug === "acme");
    const acme2 = await api("/sites", {
      method: "POST",
      body: JSON.stringify({ site_id: "acme-2", name: "Acme Two", tenant_id: acme.id }),
    });
    expect(acme2.status, JSON.stringify(acme2.body)).toBeLessThan(300);
    await registerDevice("acme-1", "acme-dev-1");
    await registerDevice("acme-2", "acme-dev-2");
    await page.click("#nav-sites");
    await expect(
      waitFor("the tenant column", async () => (await rowText(page, "sites-table"))?.includes("Acme Retail")),
    ).resolves.toBe(true);

    // The operator joins the tenant; the installer one of its sites.
    await page.goto(`${suite.base}/tenants/${acme.id}`);
    await page.selectOption("#tenant-member-form select[name=user_id]", {
      label: `${OPERATOR.username} (${OPERATOR.email})`,
    });
    await page.selectOption("#tenant-member-form select[name=role]", "operator");
    await page.click("#tenant-member-form button[type=submit]");
    await page.locator(`#tenant-members-table tr[data-username="${OPERATOR.username}"]`).waitFor();
    const site1 = (await api("/sites/acme-1")).body.data.id as number;
    await page.click(`#site-members-${site1}`);
    await page.selectOption(`#site-${site1}-member-form select[name=user_id]`, {
      label: `${INSTALLER.username} (${INSTALLER.email})`,
    });
    await page.selectOption(`#site-${site1}-member-form select[name=role]`, "installer");
    await page.click(`#site-${site1}-member-form button[type=submit]`);
    await page.locator(`#site-${site1}-members-table tr[data-username="${INSTALLER.username}"]`).waitFor();

    // Sign-up put both in the default tenant as viewers: take them out there.
    await page.goto(`${suite.base}/tenants/1`);
    for (const who of [OPERATOR, INSTALLER]) {
      const row = page.locator(`#tenant-members-table tr[data-username="${who.username}"]`);
      await row.getByRole("button", { name: "Remove" }).click();
      await row.waitFor({ state: "detached" });
    }

    // The users page shows where each one belongs.
    await page.click("#nav-users");
    const opRow = page.locator(`#users-table tr[data-username="${OPERATOR.username}"]`);
    await expect(
      waitFor("the operator's membership", async () => (await opRow.textContent())?.includes("Acme Retail: operator")),
    ).resolves.toBe(true);
    const instRow = page.locator(`#users-table tr[data-username="${INSTALLER.username}"]`);
    await expect(
      waitFor("the installer's membership", async () =>
        (await instRow.textContent())?.includes("Acme Retail / acme-1: installer"),
      ),
    ).resolves.toBe(true);
    expect(failures).toEqual([]);
    await close();
  });

  it("the tenant's operator sees only its sites and devices", async () => {
    const { page, failures, close } = await suite.open(OPERATOR);
    await page.click("#nav-sites");
    await page.locator("#sites-table tbody tr").nth(1).waitFor();
    const sites = await rowText(page, "sites-table");
    expect(sites).toContain("acme-1");
    expect(sites).toContain("acme-2");
    expect(sites).not.toContain("dflt-1");
    await page.click("#nav-devices");
    await page.locator("#devices-table tbody tr").nth(1).waitFor();
    const devices = await rowText(page, "devices-table");
    expect(devices).toContain("acme-dev-1");
    expect(devices).not.toContain("dflt-dev-1");
    // Another tenant's device by URL is "not found", like one that does not exist.
    await page.goto(`${suite.base}/devices/dflt-dev-1`);
    await page.locator(".alert").first().waitFor();
    expect(failures.filter((f) => !f.startsWith("404 GET /api/v1/devices/dflt-dev-1"))).toEqual([]);
    await page.goto(`${suite.base}/profile`);
    await page.locator('#access-list li[data-tenant="acme"]').waitFor();
    await close();
  });

  it("the installer lands on Devices, sees their site's devices, may register, and every page of theirs loads", async () => {
    const { page, failures, close } = await suite.open(INSTALLER, "Devices");
    await page.locator("#devices-table tbody tr").first().waitFor();
    const devices = await rowText(page, "devices-table");
    expect(devices).toContain("acme-dev-1");
    expect(devices).not.toContain("acme-dev-2");
    expect(devices).not.toContain("dflt-dev-1");
    const nav = await page.locator("nav[aria-label=Main] a").evaluateAll((links) => links.map((a) => a.id));
    expect(nav.sort()).toEqual(["nav-devices", "nav-sites"]);
    await page.click("#device-register");
    await page.locator("form input[name=device_id]").waitFor();

    type Stop = { click?: string; url?: string; noAccess?: boolean; landsOn?: string };
    const pages: Stop[] = [
      ...nav.map((id) => ({ click: `#${id}` })),
      { url: "/devices/acme-dev-1" },
      { url: "/sites/acme-1" },
      { url: "/profile" },
      { url: "/jobs", noAccess: true },
      { url: "/insights", noAccess: true },
      { url: "/alerts", noAccess: true },
      { url: "/commands", noAccess: true },
      { url: "/analytics", noAccess: true },
      { url: "/", landsOn: "Devices" },
    ];
    for (const stop of pages) {
      if (stop.click) await page.click(stop.click);
      else await page.goto(`${suite.base}${stop.url}`);
      await page.locator("main h1").first().waitFor();
      if (stop.landsOn) await page.getByRole("heading", { level: 1, name: stop.landsOn }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.locator("#no-access").count(), JSON.stringify(stop)).toBe(stop.noAccess ? 1 : 0);
    }
    // The site page offers the onboarding tools: enrolment intents and the bootstrap key.
    await page.goto(`${suite.base}/sites/acme-1`);
    await page.locator("#site-register-device").waitFor();
    await page.waitForLoadState("networkidle");
    expect(failures).toEqual([]);
    await close();
  });
});
