/**
 * The live anomaly detector on a device's metric chart, in a real browser against a real server: a device
 * reports half an hour of steady CPU and then a spike; the device page marks the spike on the CPU chart and
 * hovering the mark says why (metric, value, expected range, score); the insights page lists it fleet-wide beside
 * the detector's model card. No page error, no 4xx/5xx.
 */
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildDashboard,
  CHROMIUM,
  CHROMIUM_ARGS,
  haveChromium,
  type RunningServer,
  signedInPage,
  startServer,
} from "./harness.ts";

const ADMIN = { email: "marks-admin@example.com", password: "marks-admin-pass-1" };

describe.skipIf(!haveChromium())("anomaly marks on the device metrics chart", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    buildDashboard();
    server = await startServer({
      HOMEPOT_SIMULATOR: "off",
      HOMEPOT_ADMIN_EMAIL: ADMIN.email,
      HOMEPOT_ADMIN_PASSWORD: ADMIN.password,
    });
    const call = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${server.base}/api/v1${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return res.json();
    };
    const login = await call("/auth/login", ADMIN);
    const auth = { authorization: `Bearer ${login.data.access_token}` };
    await call("/sites", { site_id: "site-marks", name: "Mark Street" }, auth);
    const device = await call(
      "/devices/sites/site-marks/devices",
      { device_id: "pos-marks-1", name: "Till 1", device_type: "pos_terminal" },
      auth,
    );
    // 400 samples 5 s apart ending now: CPU near 30 %, the last one at 95 %.
    const now = Date.now();
    const samples = Array.from({ length: 400 }, (_, i) => ({
      timestamp: new Date(now - (399 - i) * 5000).toISOString(),
      cpu_percent: i === 399 ? 95 : 30 + 2 * Math.sin(i * 12.9898),
    }));
    await call("/analytics/device-metrics", { samples }, { "x-device-id": "pos-marks-1", "x-api-key": device.api_key });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  it("marks the spike on the CPU chart and says why on hover", async () => {
    const { page, failures, close } = await signedInPage(browser, server.base, ADMIN);
    await page.goto(`${server.base}/devices/pos-marks-1`);
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
    await page.goto(`${server.base}/insights`);
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
