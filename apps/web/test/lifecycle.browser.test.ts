/**
 * The device lifecycle in a real browser against a real server. An admin follows the Overview's health count to
 * the filtered device list (badges for lifecycle, connectivity, health and source), suspends, resumes, transfers
 * (new key shown once), unpairs and re-enrols a device from its page, archives one (the Archived tab lists it) and
 * restores it, archives and restores a site from its page and purges an archived one from the Archived tab. A
 * viewer sees the badges and the Archived tabs, and no action. No page error, no 4xx/5xx.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, startBrowserSuite, waitFor } from "./harness.ts";

const ADMIN = { email: "admin@example.com", password: "lifecycle-pass-1" };
const VIEWER = { email: "viewer@example.com", password: "lifecycle-pass-1" };
const HOME = "site-life-a";
const OTHER = "site-life-b";
const DOOMED = "site-life-c";
const TILL = "till-life-1";
const KIOSK = "kiosk-life-2";

describe.skipIf(!haveChromium())("device and site lifecycle in the dashboard", () => {
  let suite: BrowserSuite;
  const api: BrowserSuite["api"] = (path, init) => suite.api(path, init);
  const device = async (id: string) => (await api(`/devices/${id}`)).body?.data;

  beforeAll(async () => {
    suite = await startBrowserSuite({ admin: ADMIN, users: [{ ...VIEWER, username: "life_viewer" }] });
    const [till] = await suite.siteWithDevices({ site_id: HOME, name: "Lifecycle Home" }, [
      { device_id: TILL, name: "Front till" },
      { device_id: KIOSK, name: "Entrance kiosk" },
    ]);
    await suite.siteWithDevices({ site_id: OTHER, name: "Lifecycle Other" });
    await suite.siteWithDevices({ site_id: DOOMED, name: "Lifecycle Doomed" });
    // The till reports once: healthy and online.
    await suite.post(
      `/devices/${TILL}/health`,
      { status: "healthy", response_time_ms: 10, metrics: { cpu_usage_percent: 5 } },
      till,
    );
  }, 300_000);

  afterAll(() => suite?.stop());

  const open = async (who: typeof ADMIN) => {
    const s = await suite.open(who);
    s.page.on("dialog", (d) => void d.accept());
    return s;
  };
  const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? "").trim();
  const until = (page: Page, selector: string, wanted: string | RegExp) =>
    waitFor(`${selector} to show ${wanted}`, async () => {
      const t = await text(page, selector);
      return typeof wanted === "string" ? t.includes(wanted) : wanted.test(t);
    });

  it("an admin drives a device and sites through their lifecycle", async () => {
    const { page, failures, close } = await open(ADMIN);

    // Overview: "Never reported" links to the devices waiting for their first report, the same count, the kiosk.
    const waiting = Number(await text(page, "#overview-health-unknown"));
    await page.click("#overview-health-unknown");
    await page.locator("#devices-table tbody tr", { hasText: KIOSK }).waitFor();
    expect(page.url()).toContain("health_state=unknown");
    expect(await page.locator("#devices-filter-health").inputValue()).toBe("unknown");
    expect(await page.locator("#devices-table tbody tr").count()).toBe(waiting);
    expect(await page.locator("#devices-table tbody tr", { hasText: TILL }).count()).toBe(0);
    const kiosk = page.locator("#devices-table tbody tr", { hasText: KIOSK });
    expect(await kiosk.locator(".badge-health").textContent()).toBe("unknown");
    await page.goBack();

    // The healthy count links to the device list filtered on health.
    const healthy = Number(await text(page, "#overview-health-healthy"));
    expect(healthy).toBeGreaterThan(0);
    await page.click("#overview-health-healthy");
    await page.getByRole("heading", { level: 1, name: "Devices" }).waitFor();
    expect(page.url()).toContain("health_state=healthy");
    const row = page.locator("#devices-table tbody tr", { hasText: TILL });
    await row.waitFor();
    // The list shows exactly the devices counted: the kiosk never reported, so it is not "healthy" yet.
    const badges = await page.locator("#devices-table tbody tr .badge-health").allTextContents();
    expect(badges.length).toBe(healthy);
    expect(new Set(badges)).toEqual(new Set(["healthy"]));
    expect(await page.locator("#devices-table tbody tr", { hasText: KIOSK }).count()).toBe(0);
    expect(await row.locator(".badge-lifecycle").textContent()).toBe("active");
    expect(await row.locator(".badge-connectivity").textContent()).toBe("online");
    expect(await row.locator(".badge-health").textContent()).toBe("healthy");
    expect(await row.locator(".badge-source").textContent()).toBe("real");

    // The device page: suspend, resume, transfer, unpair, re-enrol; each asks first and is listed.
    await row.getByRole("link", { name: TILL }).click();
    await page.locator("#device-lifecycle").waitFor();
    await page.fill("#lifecycle-reason", "till refit");
    await page.click("#lifecycle-suspend");
    await until(page, "#device-lifecycle .badge-lifecycle", "suspended");
    await until(page, "#lifecycle-events", /suspend\s+active → suspended.*\(till refit\)/);
    expect((await device(TILL)).lifecycle_state).toBe("suspended");
    await page.click("#lifecycle-resume");
    await until(page, "#device-lifecycle .badge-lifecycle", "active");

    await page.selectOption("#lifecycle-target", OTHER);
    await page.click("#lifecycle-transfer");
    const moved = await waitFor("the new key", async () => (await text(page, "#api-key-value")) || undefined);
    expect(moved).not.toBe("");
    await page.locator(`a[href="/sites/${OTHER}"]`).first().waitFor();
    expect((await device(TILL)).site_id).toBe(OTHER);

    await page.click("#lifecycle-unpair");
    await until(page, "#device-lifecycle .badge-lifecycle", "unpaired");
    await page.click("#lifecycle-reenrol");
    await until(page, "#device-lifecycle .badge-lifecycle", "active");
    expect(await text(page, "#api-key-value")).not.toBe(moved);
    const actions = (await api(`/devices/${TILL}/lifecycle`)).body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(["reenrol", "unpair", "transfer", "resume", "suspend"]);

    // Archive the kiosk from its page: it leaves the fleet for the Archived tab, and comes back suspended.
    await page.goto(`${suite.base}/devices/${KIOSK}`);
    await page.click("#lifecycle-archive");
    await page.locator("#devices-tab-archived[aria-selected=true]").waitFor();
    const archived = page.locator("#devices-table tbody tr", { hasText: KIOSK });
    await until(page, "#devices-table tbody", KIOSK);
    expect(await archived.locator(".badge-lifecycle").textContent()).toBe("archived");
    await archived.locator(".device-restore").click();
    await page.getByText("No device matches.").waitFor();
    await page.click("#devices-tab-fleet");
    await until(page, "#devices-table tbody", KIOSK);
    expect(
      await page.locator("#devices-table tbody tr", { hasText: KIOSK }).locator(".badge-lifecycle").textContent(),
    ).toBe("suspended");

    // A site: archive from its page (its devices suspend), restore, resume all.
    await page.goto(`${suite.base}/sites/${HOME}`);
    await page.click("#site-resume-all");
    await waitFor("the kiosk resumed", async () => (await device(KIOSK)).lifecycle_state === "active");
    await page.click("#site-archive");
    await until(page, "#site-lifecycle", "archived");
    expect((await device(KIOSK)).lifecycle_state).toBe("suspended");
    await page.goto(`${suite.base}/sites?archived=true`);
    await until(page, "#sites-table tbody", HOME);
    await page.locator("#sites-table tbody tr", { hasText: HOME }).locator(".site-restore").click();
    await page.getByText("No archived sites.").waitFor();

    // Purge: archive the empty site, then purge it from the Archived tab; it is gone with an audit tombstone.
    expect((await api(`/sites/${DOOMED}`, { method: "DELETE" })).status).toBe(200);
    await page.reload();
    await page.locator("#sites-table tbody tr", { hasText: DOOMED }).locator(".site-purge").click();
    await page.getByText("No archived sites.").waitFor();
    expect((await api(`/sites/${DOOMED}`)).status).toBe(404);

    expect(failures).toEqual([]);
    await close();
  });

  it("a viewer sees the badges and the Archived tabs, and no lifecycle action", async () => {
    expect((await api(`/devices/${KIOSK}/archive`, { method: "POST", body: "{}" })).status).toBe(200);
    expect((await api(`/sites/${OTHER}`, { method: "DELETE" })).status).toBe(200);
    const { page, failures, close } = await open(VIEWER);
    await page.goto(`${suite.base}/devices/${TILL}`);
    await until(page, "#device-lifecycle .badge-lifecycle", "suspended");
    await until(page, "#lifecycle-events", "transfer");
    expect(await page.locator("#lifecycle-actions").count()).toBe(0);

    await page.goto(`${suite.base}/devices?archived=true`);
    await until(page, "#devices-table tbody", KIOSK);
    expect(await page.locator(".device-restore, .device-purge").count()).toBe(0);
    await page.goto(`${suite.base}/sites?archived=true`);
    await until(page, "#sites-table tbody", OTHER);
    expect(await page.locator(".site-restore, .site-purge").count()).toBe(0);
    await page.goto(`${suite.base}/sites/${OTHER}`);
    await until(page, "#site-lifecycle", "archived");
    expect(await page.locator("#site-lifecycle button").count()).toBe(0);
    expect(failures).toEqual([]);
    await close();
  });
});
