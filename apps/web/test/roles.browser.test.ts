/**
 * Every page of the dashboard as (platform) admin, operator, viewer and installer, in a real browser against a real
 * server (simulator on): each page and tab loads, shows what the role may use, and causes no 4xx/5xx answer and no
 * page error. Pages a role may not use are neither in its navigation nor reachable by URL (they say who they are for
 * instead); an installer, who may not read the Overview, starts on Devices.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, startBrowserSuite, waitFor } from "./harness.ts";

type Role = "admin" | "operator" | "viewer" | "installer";
/** What a page takes: a role and above, or "inventory" (the site and device pages: every role). */
type Need = "inventory" | "installer" | "viewer" | "operator" | "admin";
const PASSWORD = "role-walk-pass-1";
const ADMIN_EMAIL = "admin@example.com";
const email = (role: Role) => (role === "admin" ? ADMIN_EMAIL : `${role}@example.com`);

interface Stop {
  /** Path and query to open. */
  url: string;
  /** The page heading (h1). */
  heading: string | RegExp;
  /** What using the page takes (default: viewer); without it the page shows #no-access. */
  role?: Need;
  /** An installer is sent elsewhere (a page they may use) and lands on this heading instead. */
  installerHeading?: string;
  /** The page opens for every role; `role` only decides whether the clicks (a part of it) are made. */
  part?: boolean;
  /** After loading: clicks to make (each waits until the page is quiet again). */
  clicks?: string[];
}

const RANK: Record<Role, number> = { viewer: 1, installer: 2, operator: 3, admin: 4 };
/** As the dashboard (and the server) decide: an installer passes only inventory and installer checks. */
const may = (role: Role, need: Need) =>
  need === "inventory" || (role === "installer" ? need === "installer" : RANK[role] >= RANK[need]);
const NAV_ROLE: Record<string, Need> = {
  "nav-overview": "viewer",
  "nav-sites": "inventory",
  "nav-devices": "inventory",
  "nav-agents": "viewer",
  "nav-jobs": "viewer",
  "nav-insights": "viewer",
  "nav-alerts": "viewer",
  "nav-commands": "viewer",
  "nav-releases": "viewer",
  "nav-analytics": "operator",
  "nav-data": "admin",
  "nav-tenants": "admin",
  "nav-users": "admin",
};

describe.skipIf(!haveChromium())("every page as admin, operator, viewer and installer", () => {
  let suite: BrowserSuite;
  const api: BrowserSuite["api"] = (path, init) => suite.api(path, init);
  let stops: Stop[] = [];

  beforeAll(async () => {
    // Operator, viewer and installer sign up (a viewer of the default tenant); the operator and the installer then
    // get their role.
    suite = await startBrowserSuite({
      admin: { email: ADMIN_EMAIL, password: PASSWORD },
      users: (["operator", "viewer", "installer"] as const).map((role) => ({
        email: email(role),
        password: PASSWORD,
        username: `walk_${role}`,
        ...(role === "viewer" ? {} : { role }),
      })),
      simulatedDevices: 4,
    });
    // Wait for the simulated fleet, then give the pages a job to show.
    const device = await waitFor("the simulated fleet", async () => {
      const res = await api("/devices?limit=10");
      return res.body?.devices?.find((d: { status: string }) => d.status === "online") as
        | { device_id: string; site_id: string }
        | undefined;
    });
    const job = await api("/jobs", {
      method: "POST",
      body: JSON.stringify({
        action: "Role walk health check",
        job_type: "health_check",
        device_ids: [device.device_id],
      }),
    });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const jobId = (job.body.data?.job_id ?? job.body.job_id) as string;
    const d = `/devices/${device.device_id}`;
    // A release for its page: opened, one chunk, completed.
    const release = await suite.uploadRelease(Buffer.from("role walk artifact"), {
      name: "walk-app",
      release_type: "software",
    });
    stops = [
      { url: "/", heading: "Fleet overview", installerHeading: "Devices" },
      { url: "/sites", heading: "Sites", role: "inventory" },
      { url: "/sites?archived=true", heading: "Sites", role: "inventory" },
      { url: "/devices?archived=true", heading: "Devices", role: "inventory" },
      { url: `/sites/${device.site_id}`, heading: /./, role: "inventory" },
      { url: "/devices", heading: "Devices", role: "inventory" },
      { url: d, heading: /./, role: "inventory" },
      // The metrics are a viewer's part of the device page (an installer sees the device without them).
      { url: d, heading: /./, clicks: ["#metrics-range-tab-day", "#metrics-range-tab-week"], part: true },
      ...[
        "commands",
        "terminal",
        "logs",
        "audit",
        "jobs",
        "push",
        "permissions",
        "health",
        "history",
        "config",
        "key",
      ].map((tab) => ({ url: `${d}?tab=${tab}`, heading: /./, role: "inventory" as const })),
      { url: "/agents", heading: "Agents" },
      { url: "/agents?connectivity_state=online", heading: "Agents" },
      { url: "/jobs", heading: "Jobs" },
      { url: "/jobs/new", heading: "New job", role: "operator" },
      { url: `/jobs/${jobId}`, heading: /Role walk health check/ },
      { url: "/insights", heading: "Insights" },
      { url: "/alerts", heading: "Alerts", clicks: ["#alerts-tab-rules"] },
      { url: "/commands", heading: "Commands", clicks: ["#commands-tab-templates"] },
      { url: "/releases", heading: "Releases", clicks: ["#version-type-tab-firmware"] },
      { url: "/releases/new", heading: "Upload a release", role: "operator" },
      { url: `/releases/${release}`, heading: /walk-app 1\.0\.0/ },
      // A tenant's operators read its errors; the platform-wide tabs are the platform admin's (others do not get them).
      ...["requests", "errors", "activity", "audit"].map((tab) => ({
        url: `/analytics?tab=${tab}`,
        heading: "Analytics",
        role: "operator" as const,
      })),
      { url: "/data", heading: "Data collection", role: "admin" },
      { url: "/tenants", heading: "Tenants", role: "admin" },
      { url: "/tenants/1", heading: "Default", role: "admin" },
      { url: "/users", heading: "Users", role: "admin" },
      { url: "/profile", heading: "Profile", role: "inventory" },
    ];
  }, 300_000);

  afterAll(() => suite?.stop());

  /** Waits until the page has no request in flight and no spinner (the page polls, so not "networkidle" forever). */
  async function settle(page: Page, inFlight: Set<string>): Promise<void> {
    await waitFor(
      "the page to settle",
      async () => inFlight.size === 0 && (await page.locator("main .spinner").count()) === 0,
      30_000,
      200,
    ).catch((error) => {
      throw new Error(`${page.url()}: ${error} (in flight: ${[...inFlight].join(", ")})`);
    });
  }

  it.each(["admin", "operator", "viewer", "installer"] as const)("as %s", async (role) => {
    const context = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const failures: string[] = [];
    const inFlight = new Set<string>();
    let watching = false;
    page.on("pageerror", (e) => failures.push(`page error on ${page.url()}: ${e.message}`));
    page.on("request", (r) => inFlight.add(r.url()));
    page.on("requestfailed", (r) => inFlight.delete(r.url()));
    page.on("response", (r) => {
      inFlight.delete(r.url());
      if (watching && r.status() >= 400)
        failures.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname} on ${page.url()}`);
    });

    await page.goto(`${suite.base}/login`);
    await page.fill("input[name=email]", email(role));
    await page.fill("input[name=password]", PASSWORD);
    await page.click("#login-submit");
    const home = role === "installer" ? "Devices" : "Fleet overview";
    await page.getByRole("heading", { level: 1, name: home }).waitFor();
    watching = true;

    // The navigation lists exactly the pages this role may open.
    const shown = await page.locator("nav[aria-label=Main] a").evaluateAll((links) => links.map((a) => a.id));
    expect(shown.sort()).toEqual(
      Object.keys(NAV_ROLE)
        .filter((id) => may(role, NAV_ROLE[id] as Need))
        .sort(),
    );

    for (const stop of stops) {
      await page.goto(`${suite.base}${stop.url}`);
      const redirected = role === "installer" && stop.installerHeading !== undefined;
      const heading = redirected ? (stop.installerHeading as string) : stop.heading;
      const allowed = redirected || may(role, stop.role ?? "viewer");
      // A page the role may not use says so under its guard's own title.
      if (allowed || stop.part) await page.getByRole("heading", { level: 1, name: heading }).first().waitFor();
      else await page.locator("#no-access").waitFor();
      await settle(page, inFlight);
      // A page for a higher role says who it is for and loads nothing of its own.
      expect(await page.locator("#no-access").count(), `${stop.url} as ${role}`).toBe(allowed || stop.part ? 0 : 1);
      if (allowed) {
        for (const selector of stop.clicks ?? []) {
          await page.click(selector);
          await settle(page, inFlight);
        }
        // A permission error on a page the role may use is the bug this test is for (ErrorMessage's 403 text; the
        // word alone also names a device's grants and their API paths).
        await expect(page.locator("main").textContent(), `${stop.url} as ${role}`).resolves.not.toMatch(
          /do not have permission/i,
        );
      }
    }

    // Every table downloads what it shows as CSV.
    await page.goto(`${suite.base}/devices`);
    await page.locator("#devices-table tbody tr").first().waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#devices-table-csv")]);
    expect(download.suggestedFilename()).toMatch(/^devices-table-\d{4}-\d{2}-\d{2}T\d{4}\.csv$/);
    const csv = readFileSync(await download.path(), "utf8");
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe(
      '"Device","Name","Site","Type","Status","State","Tags","Software","IP","Last seen","Last heartbeat","Segment","Simulated"',
    );
    expect(lines.length - 1).toBe(await page.locator("#devices-table tbody tr").count());
    expect(lines.slice(1).every((l) => /^"[^"]+","/.test(l))).toBe(true);

    expect(failures).toEqual([]);
    await context.close();
  });
});
