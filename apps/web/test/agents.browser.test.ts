/**
 * The Agents page in a real browser against a real server: an admin opens it from the navigation, sees each device's
 * agent (lifecycle, connectivity, health, agent version, last heartbeat, last health check), filters by connectivity,
 * lifecycle, site and search (on the server), downloads the CSV; a viewer reads the same list. No page error, no
 * 4xx/5xx.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, startBrowserSuite } from "./harness.ts";

const ADMIN = { email: "agents-admin@example.com", password: "agents-admin-pass-1" };
const VIEWER = { email: "agents-viewer@example.com", password: "agents-viewer-pass-1", username: "agents_viewer" };
const REPORTING = "till-agent-1";
const SILENT = "kiosk-agent-2";
const PARKED = "till-agent-3";

describe.skipIf(!haveChromium())("Agents on the dashboard", () => {
  let suite: BrowserSuite;

  beforeAll(async () => {
    suite = await startBrowserSuite({ admin: ADMIN, users: [VIEWER] });
    const [till] = await suite.siteWithDevices({ site_id: "site-agents-a", name: "Agent Street" }, [
      { device_id: REPORTING, name: "Front till" },
    ]);
    // A device's own calls carry its key only; the rest the admin's token.
    await suite.post("/agent/device-dna", { agent_version: "0.9.1", os_details: "Ubuntu 24.04 LTS" }, till);
    await suite.post(`/devices/${REPORTING}/health`, { status: "healthy", response_time_ms: 12 }, till);
    await suite.siteWithDevices({ site_id: "site-agents-b", name: "Agent Square" }, [
      { device_id: SILENT, name: "Lobby kiosk", device_type: "kiosk" },
      { device_id: PARKED, name: "Spare till" },
    ]);
    await suite.post(`/devices/${PARKED}/suspend`, { reason: "spare" });
  }, 300_000);

  afterAll(() => suite?.stop());

  const rowOf = (page: Page, id: string) => page.locator(`#agents-table tr[data-device="${id}"]`);
  /** The device ids the table shows, once it shows exactly `expected` (the list is fetched again on each filter). */
  async function shows(page: Page, expected: string[]) {
    for (const id of expected) await rowOf(page, id).waitFor();
    await page.waitForFunction(
      (n) => document.querySelectorAll("#agents-table tbody tr").length === n,
      expected.length,
    );
    const ids = await page
      .locator("#agents-table tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-device")));
    expect(ids.sort()).toEqual([...expected].sort());
  }

  it("an admin reads each agent's state, filters on the server and downloads the CSV", async () => {
    const { page, failures, close } = await suite.open(ADMIN);
    await page.click("#nav-agents");
    await page.getByRole("heading", { level: 1, name: "Agents" }).waitFor();
    await shows(page, [REPORTING, SILENT, PARKED]);
    const till = await rowOf(page, REPORTING).locator("td").allTextContents();
    expect(till).toEqual([
      `${REPORTING} Front till`,
      "site-agents-a",
      "active",
      "online",
      "healthy",
      "running",
      "0.9.1",
      expect.any(String),
      expect.stringMatching(/ago$/),
      "healthy",
    ]);
    // Never reported: connectivity unknown, no heartbeat, no check; the spare till is suspended.
    const silent = await rowOf(page, SILENT).locator("td").allTextContents();
    expect([silent[3], silent[4], silent[5], silent[8]]).toEqual(["unknown", "unknown", "stopped", "never"]);
    expect((await rowOf(page, PARKED).locator("td").allTextContents())[2]).toBe("suspended");

    await page.selectOption("#agents-filter-connectivity", "online");
    await shows(page, [REPORTING]);
    expect(page.url()).toContain("connectivity_state=online");
    await page.selectOption("#agents-filter-connectivity", "");
    await page.selectOption("#agents-filter-lifecycle", "suspended");
    await shows(page, [PARKED]);
    await page.selectOption("#agents-filter-lifecycle", "");
    await page.selectOption("#agents-filter-site", "site-agents-b");
    await shows(page, [SILENT, PARKED]);
    await page.fill("#agents-search", "kiosk");
    await shows(page, [SILENT]);
    await page.fill("#agents-search", "");
    await shows(page, [SILENT, PARKED]);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#agents-table-csv")]);
    expect(download.suggestedFilename()).toMatch(/^agents-table-.*\.csv$/);
    const lines = readFileSync(await download.path(), "utf8")
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    // Every value quoted; the filtered rows only, with raw values (the ISO heartbeat, not "5s ago").
    const cells = lines.map((l) => l.slice(1, -1).split('","'));
    expect(cells[0]).toEqual([
      "Device",
      "Name",
      "Site",
      "Lifecycle",
      "Connectivity",
      "Health",
      "Agent",
      "Agent version",
      "Config version",
      "Last heartbeat",
      "Last health check",
    ]);
    expect(
      cells
        .slice(1)
        .map((c) => c[0])
        .sort(),
    ).toEqual([PARKED, SILENT].sort());
    expect(cells.find((c) => c[0] === SILENT)?.slice(2, 5)).toEqual(["site-agents-b", "active", "unknown"]);

    await rowOf(page, SILENT).getByRole("link", { name: SILENT }).click();
    await page.getByRole("heading", { level: 1, name: /Lobby kiosk/ }).waitFor();
    expect(failures).toEqual([]);
    await close();
  });

  it("a viewer reads the same list", async () => {
    const { page, failures, close } = await suite.open(VIEWER);
    await page.click("#nav-agents");
    await shows(page, [REPORTING, SILENT, PARKED]);
    await rowOf(page, REPORTING).getByText("0.9.1", { exact: true }).waitFor();
    await expect(page.locator("main button:not(#agents-table-csv):not([disabled])").count()).resolves.toBe(0);
    expect(failures).toEqual([]);
    await close();
  });
});
