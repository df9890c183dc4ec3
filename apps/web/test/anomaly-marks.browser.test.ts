/**
 * The live anomaly detector on a device's metric chart, in a real browser against a real server: a device
 * reports half an hour of steady CPU and then a spike; the device page marks the spike on the CPU chart and
 * hovering the mark says why (metric, value, expected range, score); the insights page lists it fleet-wide beside
 * the detector's model card. No page error, no 4xx/5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, startBrowserSuite } from "./harness.ts";

const ADMIN = { email: "marks-admin@example.com", password: "marks-admin-pass-1" };

describe.skipIf(!haveChromium())("anomaly marks on the device metrics chart", () => {
  let suite: BrowserSuite;

  beforeAll(async () => {
    suite = await startBrowserSuite({ admin: ADMIN });
    const [till] = await suite.siteWithDevices({ site_id: "site-marks", name: "Mark Street" }, [
      { device_id: "pos-marks-1", name: "Till 1" },
    ]);
    // 400 samples 5 s apart ending now: CPU near 30 %, the last one at 95 %.
    const now = Date.now();
    const samples = Array.from({ length: 400 }, (_, i) => ({
      timestamp: new Date(now - (399 - i) * 5000).toISOString(),
      cpu_percent: i === 399 ? 95 : 30 + 2 * Math.sin(i * 12.9898),
    }));
    await suite.post("/analytics/device-metrics", { samples }, till);
  }, 300_000);

  afterAll(() => suite?.stop());

  it("marks the spike on the CPU chart and says why on hover", async () => {
    const { page, failures, close } = await suite.open(ADMIN);
    await page.goto(`${suite.base}/devices/pos-marks-1`);
    const mark = page.locator("#device-metrics [data-anomaly-mark]");
    await mark.first().waitFor();
    expect(await mark.count()).toBe(1);
    const why = (await mark.first().getAttribute("aria-label")) ?? "";
    expect(why).toContain("Anomaly: CPU 95");
    expect(why).toMatch(/expected [\d.]+–[\d.]+; score 0\.\d\d|score 1\.00/);
    // The hover text is the mark's SVG title (what a browser shows on hover).
    expect(await mark.first().locator("title").textContent()).toBe(why);
    await page.locator("#device-metrics").getByText("1 anomaly marked (live detector)").waitFor();

    // The insights page lists it fleet-wide and shows the detector's model card with its NAB figures and date.
    await page.goto(`${suite.base}/insights`);
    const listed = page.locator("#insights-live-anomalies tr", { hasText: "pos-marks-1" });
    await listed.waitFor();
    expect(await listed.textContent()).toContain("CPU 95");
    const card = page.locator("#insights-model-card");
    await card.getByText("HOMEPOT streaming detector (ours)").waitFor();
    expect(await card.textContent()).toMatch(/measured 2026-\d\d-\d\d: standard 71\.4/);
    expect(failures).toEqual([]);
    await close();
  });
});
