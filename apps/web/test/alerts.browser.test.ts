/**
 * The Alerts page in a real browser against a real server: a device raises an alert, an admin sees it with the
 * Overview's count, acknowledges and resolves it with a note, reads the built-in rules and adds a webhook channel
 * (its signing secret shown once); a viewer sees the alerts without actions or channels; a tenant's admin manages
 * their tenant's rules and channels only (platform-wide rules read-only). No page error, no 4xx/5xx.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDashboard, CHROMIUM, CHROMIUM_ARGS, haveChromium, type RunningServer, startServer } from "./harness.ts";

const ADMIN = { email: "alerts-admin@example.com", password: "alerts-admin-pass-1" };
const VIEWER = { email: "alerts-viewer@example.com", password: "alerts-viewer-pass-1" };
const TENANT_ADMIN = { email: "gamma-admin@example.com", password: "gamma-admin-pass-1" };

describe.skipIf(!haveChromium())("Alerts on the dashboard", () => {
  let server: RunningServer;
  let browser: Browser;
  let auth: Record<string, string>;
  let gamma: number;

  beforeAll(async () => {
    buildDashboard();
    server = await startServer({
      HOMEPOT_SIMULATOR: "off",
      HOMEPOT_SIGNUP: "open",
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
    await call("/auth/signup", { ...VIEWER, username: "alerts_viewer" });
    const login = await call("/auth/login", ADMIN);
    auth = { authorization: `Bearer ${login.data.access_token}` };
    // Tenant Gamma, its site, and its admin (signed up, made Gamma's admin, taken out of the default tenant).
    gamma = (await call("/tenants", { name: "Gamma", slug: "gamma" }, auth)).id;
    await call("/sites", { site_id: "site-gamma", name: "Gamma Plaza", tenant_id: gamma }, auth);
    const tenantAdmin = (await call("/auth/signup", { ...TENANT_ADMIN, username: "gamma_admin" })).data.id;
    await call(`/tenants/${gamma}/members`, { user_id: tenantAdmin, role: "admin" }, auth);
    const dflt = await (await fetch(`${server.base}/api/v1/tenants/1/members`, { headers: auth })).json();
    for (const m of dflt.filter((m: { user_id: number }) => m.user_id === tenantAdmin))
      await fetch(`${server.base}/api/v1/tenants/1/members/${m.id}`, { method: "DELETE", headers: auth });
    await call("/sites", { site_id: "site-alerts", name: "Alert Street" }, auth);
    const device = await call(
      "/devices/sites/site-alerts/devices",
      { device_id: "pos-alerts-1", name: "Till 1", device_type: "pos_terminal" },
      auth,
    );
    // A second site and device with tags and a segment of their own: the scope pickers list them from the API.
    await call("/sites", { site_id: "site-kiosks", name: "Kiosk Corner" }, auth);
    await call(
      "/devices/sites/site-kiosks/devices",
      { device_id: "kiosk-alerts-2", name: "Lobby kiosk", device_type: "kiosk", segment: "lobby-kiosks" },
      auth,
    );
    const tagged = await fetch(`${server.base}/api/v1/devices/pos-alerts-1`, {
      method: "PUT",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify({ tags: ["lane-1", "lane-2"] }),
    });
    expect(tagged.status).toBe(200);
    await call(
      "/agent/alert",
      { device_id: "pos-alerts-1", title: "Printer out of paper", severity: "critical", category: "hardware" },
      { "x-device-id": "pos-alerts-1", "x-api-key": device.api_key },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  async function signIn(who: { email: string; password: string }) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on("pageerror", (e) => failures.push(`page error on ${page.url()}: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400 && !/\/auth\/(me|refresh)$/.test(new URL(r.url()).pathname))
        failures.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname} on ${page.url()}`);
    });
    await page.goto(`${server.base}/login`);
    await page.fill("input[name=email]", who.email);
    await page.fill("input[name=password]", who.password);
    await page.click("#login-submit");
    await page.getByRole("heading", { level: 1, name: "Fleet overview" }).waitFor();
    return { page, failures, close: () => context.close() };
  }
  const row = (page: Page) => page.locator("#alerts-table tr", { hasText: "Printer out of paper" });

  it("an admin sees, acknowledges and resolves an alert, reads the rules and adds a channel", async () => {
    const { page, failures, close } = await signIn(ADMIN);
    await page.locator(".stat", { hasText: "Active alerts" }).getByText("1 critical, 0 acknowledged").waitFor();
    await page.click("#nav-alerts");
    await page.getByRole("heading", { level: 1, name: "Alerts" }).waitFor();
    await row(page).getByText("critical").waitFor();
    await row(page).getByRole("button", { name: "Acknowledge" }).click();
    await row(page).getByText("acknowledged").waitFor();
    page.once("dialog", (d) => void d.accept("paper refilled"));
    await row(page).getByRole("button", { name: "Resolve" }).click();
    await page.getByText("No alerts match.").waitFor();
    await page.selectOption("select[name=alerts-status]", "resolved");
    await row(page).getByText("note: paper refilled").waitFor();

    await page.click("#alerts-tab-rules");
    await page.locator("#rules-table tr", { hasText: "Device in error" }).getByText("built in").waitFor();
    await page.click("#alerts-tab-channels");
    await page.fill("input[name=channel-name]", "ops webhook");
    await page.fill("input[name=channel-target]", "http://127.0.0.1:9/hook");
    await page.click("#channel-save");
    await page.locator("#channel-secret").getByText("shown once").waitFor();
    await page.locator("#channels-table tr", { hasText: "ops webhook" }).getByText("(hidden)").waitFor();
    expect(failures).toEqual([]);
    await close();
  });

  const PREVIEWS: [string, string][] = [
    ["device_offline", "pos-terminal-001 at site-001 has been offline for 10 min"],
    ["device_error", "pos-terminal-001 at site-001 is in error: Payment gateway timeout"],
    ["metric_threshold", "pos-terminal-001: CPU is 95, above 90 for 5 min"],
    ["anomaly", "CPU 97 % on pos-terminal-001 (4.2 σ above its usual)"],
    ["failure_risk", "pos-terminal-001: failure risk 85 % in the next 24 h"],
    ["job_failed", "Job job-1a2b3c4d failed: 3 of 12 devices failed"],
    ["command_expired", "Command REBOOT (cmd-5e6f7a8b) to pos-terminal-001 expired before the device answered"],
    ["error_rate", "5 database errors in 10 min (last from pos-terminal-001)"],
    ["collection_gap", "No data from pos-terminal-001 at site-001 for 60 min"],
  ];
  /** A picker's chip for `value`. */
  const chip = (page: Page, picker: string, value: string) =>
    page.locator(`${picker} .picker-chip[data-value="${value}"]`);
  /** Searches a scope picker for `text` and picks `value` from the options the API gave. */
  async function pick(page: Page, picker: string, text: string, value: string) {
    await page.fill(`${picker} input`, text);
    await page.click(`${picker} .picker-option[data-value="${value}"]`);
    await chip(page, picker, value).waitFor();
  }
  const rulesByName = async () => {
    const res = await fetch(`${server.base}/api/v1/alerts/rules`, { headers: auth });
    return new Map(((await res.json()).rules as any[]).map((r) => [r.name, r]));
  };

  it("an admin adds a rule of every type with a previewed message, edits and deletes one, and edits a channel", async () => {
    const { page, failures, close } = await signIn(ADMIN);
    await page.goto(`${server.base}/alerts`);
    await page.click("#alerts-tab-rules");
    for (const [type, preview] of PREVIEWS) {
      await page.fill("input[name=rule-name]", `Rule ${type}`);
      await page.selectOption("select[name=rule-type]", type);
      await page.locator("#rule-preview").getByText(preview).waitFor();
      if (type === "metric_threshold") {
        // Scope chosen from lists loaded from the API: search, pick (Enter takes the first match), remove.
        await pick(page, "#rule-scope-site_ids", "Alert", "site-alerts");
        await pick(page, "#rule-scope-tags", "lane", "lane-1");
        await page.fill("#rule-scope-tags input", "lane-2");
        await page.press("#rule-scope-tags input", "Enter");
        await chip(page, "#rule-scope-tags", "lane-2").waitFor();
        await pick(page, "#rule-scope-segments", "lobby", "lobby-kiosks");
        await chip(page, "#rule-scope-segments", "lobby-kiosks").getByRole("button", { name: "Remove" }).click();
        await chip(page, "#rule-scope-segments", "lobby-kiosks").waitFor({ state: "detached" });
        // Devices are searched on the server by name: "Lobby" finds the kiosk, shown by its name once picked.
        await pick(page, "#rule-scope-device_ids", "Lobby", "kiosk-alerts-2");
        await chip(page, "#rule-scope-device_ids", "kiosk-alerts-2").getByText("Lobby kiosk").waitFor();
      }
      await page.click("#rule-save");
      await page.locator("#rules-table tr", { hasText: `Rule ${type}` }).waitFor();
    }
    let rules = await rulesByName();
    for (const [type] of PREVIEWS) expect(rules.get(`Rule ${type}`)?.condition.type).toBe(type);
    expect(rules.get("Rule failure_risk")?.condition.min_probability).toBe(0.8);
    expect(rules.get("Rule metric_threshold")?.scope).toMatchObject({
      site_ids: ["site-alerts"],
      tags: ["lane-1", "lane-2"],
      device_ids: ["kiosk-alerts-2"],
    });
    expect(rules.get("Rule metric_threshold")?.scope.segments ?? []).toEqual([]);

    await page.getByRole("button", { name: "Edit Rule metric_threshold" }).click();
    await expect(
      page.locator("#rule-scope-tags .picker-chip").evaluateAll((l) => l.map((e) => e.dataset.value)),
    ).resolves.toEqual(["lane-1", "lane-2"]);
    await chip(page, "#rule-scope-device_ids", "kiosk-alerts-2").getByRole("button", { name: "Remove" }).click();
    await page.fill("input[name=rule-value]", "75");
    await page.selectOption("select[name=rule-severity]", "critical");
    await page.fill("textarea[name=rule-template]", "{device_id} runs hot: {value} %");
    await page.locator("#rule-preview").getByText("pos-terminal-001 runs hot: 80 %").waitFor();
    await page.click("#rule-save");
    await page.locator("#rules-table tr", { hasText: "Rule metric_threshold" }).getByText("value 75").waitFor();
    rules = await rulesByName();
    expect(rules.get("Rule metric_threshold")).toMatchObject({
      severity: "critical",
      message_template: "{device_id} runs hot: {value} %",
      condition: { value: 75 },
      scope: { site_ids: ["site-alerts"], tags: ["lane-1", "lane-2"], device_ids: [] },
    });

    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Delete Rule command_expired" }).click();
    await page.locator("#rules-table tr", { hasText: "Rule command_expired" }).waitFor({ state: "detached" });
    await expect(page.getByRole("button", { name: "Delete Device in error" }).count()).resolves.toBe(0);
    expect((await rulesByName()).has("Rule command_expired")).toBe(false);

    await page.click("#alerts-tab-channels");
    await page.getByRole("button", { name: "Edit ops webhook" }).click();
    await page.fill("input[name=channel-quiet-start]", "22:00");
    await page.fill("input[name=channel-quiet-end]", "06:00");
    await page.fill("input[name=channel-timezone]", "Europe/Berlin");
    await page.selectOption("select[name=channel-severity]", "critical");
    await pick(page, "#channel-sites", "Kiosk", "site-kiosks");
    await page.click("#channel-save");
    const ch = page.locator("#channels-table tr", { hasText: "ops webhook" });
    await ch.getByText("critical+ · site-kiosks · quiet 22:00–06:00 · Europe/Berlin").waitFor();
    await ch.getByText("url, signing_secret (hidden)").waitFor();
    expect(failures).toEqual([]);
    await close();
  });

  it("a viewer reads alerts and rules, without actions or channels", async () => {
    const { page, failures, close } = await signIn(VIEWER);
    await page.goto(`${server.base}/alerts`);
    await page.selectOption("select[name=alerts-status]", "all");
    await row(page).waitFor();
    await expect(row(page).getByRole("button").count()).resolves.toBe(0);
    await expect(page.locator("#alerts-tab-channels").count()).resolves.toBe(0);
    await page.click("#alerts-tab-rules");
    await page.locator("#rules-table tr", { hasText: "Device in error" }).waitFor();
    await expect(page.locator("#rule-form").count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: /^(Edit|Delete) / }).count()).resolves.toBe(0);
    expect(failures).toEqual([]);
    await close();
  });

  it("a tenant's admin manages their tenant's rules and channels; platform-wide rules are read-only to them", async () => {
    const { page, failures, close } = await signIn(TENANT_ADMIN);
    await page.goto(`${server.base}/alerts`);
    await page.click("#alerts-tab-rules");
    const builtin = page.locator("#rules-table tr", { hasText: "Device in error" });
    await builtin.getByText("platform-wide").waitFor();
    await expect(builtin.getByRole("button").count()).resolves.toBe(0);
    // The sites offered are Gamma's only.
    await page.fill("input[name=rule-name]", "Gamma tills");
    await page.selectOption("select[name=rule-type]", "device_error");
    await page.fill("#rule-scope-site_ids input", "site");
    await page.locator('#rule-scope-site_ids .picker-option[data-value="site-gamma"]').waitFor();
    await expect(page.locator('#rule-scope-site_ids .picker-option[data-value="site-alerts"]').count()).resolves.toBe(
      0,
    );
    await page.click('#rule-scope-site_ids .picker-option[data-value="site-gamma"]');
    await page.click("#rule-save");
    await page.getByRole("button", { name: "Edit Gamma tills" }).waitFor();
    expect((await rulesByName()).get("Gamma tills")).toMatchObject({
      tenant_id: gamma,
      scope: { site_ids: ["site-gamma"] },
    });

    // Channels: theirs only (not the platform's "ops webhook"), with a time zone for a daily digest.
    await page.click("#alerts-tab-channels");
    await page.getByText("No channels yet").waitFor();
    await page.fill("input[name=channel-name]", "gamma pager");
    await page.fill("input[name=channel-target]", "http://127.0.0.1:9/gamma");
    await page.fill("input[name=channel-timezone]", "Asia/Tokyo");
    await page.fill("input[name=channel-digest]", "1440");
    await page.click("#channel-save");
    await page.locator("#channel-secret").getByText("shown once").waitFor();
    const ch = page.locator("#channels-table tr", { hasText: "gamma pager" });
    await ch.getByText("warning+ · Asia/Tokyo · digest 1440 min").waitFor();
    await expect(page.locator("#channels-table tr", { hasText: "ops webhook" }).count()).resolves.toBe(0);
    expect(failures).toEqual([]);
    await close();

    // The platform admin sees whose each rule is.
    const admin = await signIn(ADMIN);
    await admin.page.goto(`${server.base}/alerts`);
    await admin.page.click("#alerts-tab-rules");
    await admin.page
      .locator("#rules-table tr", { hasText: "Gamma tills" })
      .getByText("Gamma", { exact: true })
      .waitFor();
    await admin.page.locator("#rules-table tr", { hasText: "Device in error" }).getByText("Platform-wide").waitFor();
    expect(admin.failures).toEqual([]);
    await admin.close();
  });
});
