/**
 * Bulk actions and the Overview's fleet charts in a real browser against a real server (simulator on): an admin
 * selects devices, tags them, queues a reboot (with its confirmation) and filters by the tag; the Overview draws
 * its three charts from the server's summary with tick labels that never repeat and lists a device needing
 * attention (asked of the server, not counted in the browser) to an admin and a viewer; a viewer gets no selection
 * boxes.
 * No page error and no 4xx/5xx the pages caused.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, startBrowserSuite, waitFor } from "./harness.ts";

const ADMIN = { email: "admin@example.com", password: "fleet-bulk-pass-1" };
const VIEWER = { email: "viewer@example.com", password: "fleet-bulk-pass-1" };

describe.skipIf(!haveChromium())("bulk actions and fleet charts", () => {
  let suite: BrowserSuite;
  const api: BrowserSuite["api"] = (path, init) => suite.api(path, init);

  beforeAll(async () => {
    suite = await startBrowserSuite({
      admin: ADMIN,
      users: [{ ...VIEWER, username: "fleet_viewer" }],
      simulatedDevices: 4,
    });
    await waitFor("four simulated devices reporting", async () => {
      const res = await api("/dashboard/summary?hours=24");
      return (res.body?.series ?? []).some((p: { devices_reporting: number }) => p.devices_reporting > 0);
    });
  }, 300_000);

  afterAll(() => suite?.stop());

  const open = (who: typeof ADMIN) => suite.open(who);

  async function tickLabels(page: Page, chart: string): Promise<string[]> {
    // Recharts 3 draws tick labels in their own layer, beside (not inside) the axis group.
    return page
      .locator(`${chart} .recharts-xAxis-tick-labels text.recharts-cartesian-axis-tick-value`)
      .allTextContents();
  }

  it("an admin tags two devices, reboots them after confirming, and filters by the tag", async () => {
    const { page, failures, close } = await open(ADMIN);
    await page.goto(`${suite.base}/devices`);
    const boxes = page.locator("#devices-table .device-select");
    await boxes.first().waitFor();
    expect(await boxes.count()).toBeGreaterThanOrEqual(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await expect(page.locator("#bulk-count").textContent()).resolves.toBe("2 devices selected");
    const picked = await page
      .locator("#devices-table tbody tr")
      .evaluateAll((rows) => rows.slice(0, 2).map((r) => r.querySelector("td:nth-child(2) a")?.textContent ?? ""));

    await page.selectOption("#bulk-kind", "add-tags");
    await page.fill("#bulk-tags", "Browser-Pilot");
    await page.click("#bulk-apply");
    await page.locator("#bulk-result", { hasText: "2 of 2 done" }).waitFor();
    const tagged = await api("/devices?tag=browser-pilot");
    expect(tagged.body.devices.map((d: { device_id: string }) => d.device_id).sort()).toEqual([...picked].sort());

    await page.selectOption("#bulk-kind", "command");
    await page.selectOption("#bulk-command", "reboot");
    await page.click("#bulk-apply");
    // A reboot asks first; nothing is queued until confirmed.
    await expect(page.locator("#bulk-apply").textContent()).resolves.toMatch(/Confirm: reboot 2 devices/);
    await page.click("#bulk-apply");
    await page.locator("#bulk-result", { hasText: "2 of 2 done" }).waitFor();
    for (const id of picked) {
      const commands = await api(`/devices/${id}/commands?limit=5`);
      expect(commands.body.commands.map((c: { command_type: string }) => c.command_type.toLowerCase())).toContain(
        "reboot",
      );
    }

    await page.selectOption("#devices-filter-tag", "browser-pilot");
    await waitFor("the tag filter", async () => (await page.locator("#devices-table tbody tr").count()) === 2);
    expect(failures).toEqual([]);
    await close();
  });

  it("the Overview draws devices, errors and transactions from the server summary, for a day and a week", async () => {
    const { page, failures, close } = await open(ADMIN);
    for (const chart of ["#fleet-online-chart", "#fleet-errors-chart", "#fleet-transactions-chart"])
      await page.locator(`${chart}`).waitFor();
    await page.locator("#fleet-online-chart .recharts-wrapper").first().waitFor();
    for (const range of ["day", "week"]) {
      await page.click(`#fleet-range-tab-${range}`);
      await page.locator("#fleet-online-chart .recharts-wrapper").first().waitFor();
      // ResponsiveContainer measures before it draws: wait for the axis.
      const labels = await waitFor(
        `the ${range} axis`,
        async () => {
          const ls = await tickLabels(page, "#fleet-online-chart");
          return ls.length >= 2 ? ls : undefined;
        },
        20_000,
        250,
      );
      expect(new Set(labels).size, `${range}: ${labels.join(" | ")}`).toBe(labels.length);
    }
    expect(failures).toEqual([]);
    await close();
  });

  it("the Overview lists a registered device that never reported under needing attention, for an admin and a viewer", async () => {
    const site = (await api("/sites")).body.sites[0].site_id;
    const created = await suite.post(`/devices/sites/${site}/devices`, {
      device_id: "attention-till",
      device_type: "pos_terminal",
    });
    expect(created.success).toBe(true);
    for (const who of [ADMIN, VIEWER]) {
      const { page, failures, close } = await open(who);
      const row = page.locator("#attention-table tbody tr", { hasText: "attention-till" });
      await row.waitFor({ timeout: 30_000 });
      await expect(row.locator("a").getAttribute("href")).resolves.toBe("/devices/attention-till");
      expect(failures).toEqual([]);
      await close();
    }
  });

  it("a viewer sees the device list without selection boxes or bulk actions", async () => {
    const { page, failures, close } = await open(VIEWER);
    await page.goto(`${suite.base}/devices`);
    await page.locator("#devices-table tbody tr").first().waitFor();
    expect(await page.locator(".device-select").count()).toBe(0);
    expect(await page.locator("#bulk-actions").count()).toBe(0);
    await page.goto(`${suite.base}/`);
    await page.locator("#fleet-online-chart").waitFor();
    expect(failures).toEqual([]);
    await close();
  });
});
