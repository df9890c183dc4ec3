/**
 * The device page's remote-operations tabs in a real browser against a real server: live logs that follow new
 * lines, the audit record, the device's own jobs, the owner's grants, and the terminal, whose line travels the
 * command pipeline to the device (played here by the test with the device's key) and whose output comes back.
 * A push sent from the Push tab shows its delivery. A viewer sees none of the operator tabs. No page error and no 4xx/5xx the pages caused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiInit, type BrowserSuite, haveChromium, startBrowserSuite, waitFor } from "./harness.ts";

const ADMIN = { email: "admin@example.com", password: "remote-ops-pass-1" };
const VIEWER = { email: "viewer@example.com", password: "remote-ops-pass-1" };
const DEVICE = "pos-remote-1";

describe.skipIf(!haveChromium())("device page: live logs, audit, jobs, permissions and the terminal", () => {
  let suite: BrowserSuite;
  let deviceHeaders: Record<string, string> = {};
  const api = (path: string, { asDevice, ...init }: ApiInit & { asDevice?: boolean } = {}) =>
    suite.api(path, { ...init, auth: asDevice ? deviceHeaders : undefined });
  const log = (message: string, level = "info") =>
    api("/agent/logs", { method: "POST", asDevice: true, body: JSON.stringify({ device_id: DEVICE, message, level }) });

  beforeAll(async () => {
    suite = await startBrowserSuite({ admin: ADMIN, users: [{ ...VIEWER, username: "remote_viewer" }] });
    [deviceHeaders = {}] = await suite.siteWithDevices({ site_id: "site-remote", name: "Remote Store" }, [
      { device_id: DEVICE, name: "Remote POS" },
    ]);
    const grant = await api(`/devices/device/${DEVICE}/permissions`, {
      method: "PATCH",
      asDevice: true,
      body: JSON.stringify({ permissions: { command_execution: true }, os_details: "Ubuntu 24.04" }),
    });
    expect(grant.status, JSON.stringify(grant.body)).toBe(200);
    await log("Agent started");
    await log("Payment gateway slow", "warning");
    await api("/agent/audit", {
      method: "POST",
      asDevice: true,
      body: JSON.stringify({ device_id: DEVICE, event_type: "health_check_performed", description: "Routine check" }),
    });
    await api("/agent/jobs", {
      method: "POST",
      asDevice: true,
      body: JSON.stringify({ device_id: DEVICE, action: "Restart POS app", priority: "high" }),
    });
  }, 300_000);

  afterAll(() => suite?.stop());

  const open = (who: typeof ADMIN) => suite.open(who);

  it("an admin follows live logs, reads audit, jobs and grants, and runs a command in the terminal", async () => {
    const { page, failures, close } = await open(ADMIN);
    await page.goto(`${suite.base}/devices/${DEVICE}?tab=logs`);
    await page.locator("#live-logs .log-line", { hasText: "Payment gateway slow" }).waitFor();
    await log("Receipt printer reconnected");
    await page.locator("#live-logs .log-line", { hasText: "Receipt printer reconnected" }).waitFor();
    expect(await page.locator("#live-logs .log-line").count()).toBe(3);

    await page.click("#device-tab-audit");
    await page.locator("#device-audit-table", { hasText: "agent_health_check_performed" }).waitFor();
    await page.locator("#device-audit-table", { hasText: "device_permissions_updated" }).waitFor();
    await page.click("#device-tab-jobs");
    await page.locator("#device-jobs-table", { hasText: "Restart POS app" }).waitFor();
    await page.click("#device-tab-permissions");
    await page.locator('#permissions-table tr[data-permission="command_execution"]', { hasText: "granted" }).waitFor();

    await page.click("#device-tab-terminal");
    await page.fill("#terminal-input", "echo hello-from-the-terminal");
    await page.press("#terminal-input", "Enter");
    const entry = page.locator("#terminal-output .term-entry").first();
    await waitFor("the command id", async () => Boolean(await entry.getAttribute("data-command-id")));
    const commandId = (await entry.getAttribute("data-command-id")) as string;

    // The device polls, acknowledges, and reports what its shell printed.
    const pending = await api("/devices/pending", { asDevice: true });
    expect(pending.body).toEqual([
      expect.objectContaining({
        command_id: commandId,
        command_type: "run_command",
        payload: expect.objectContaining({ command: "echo hello-from-the-terminal" }),
      }),
    ]);
    await api(`/devices/${DEVICE}/commands/${commandId}/ack`, {
      method: "POST",
      asDevice: true,
      body: JSON.stringify({ status: "executing" }),
    });
    await api(`/devices/commands/${commandId}/result`, {
      method: "POST",
      asDevice: true,
      body: JSON.stringify({
        status: "succeeded",
        result: { exit_code: 0, stdout: "hello-from-the-terminal\n", stderr: "", truncated: false },
      }),
    });
    await page.locator("#terminal-output .term-entry", { hasText: "[exit 0]" }).waitFor();
    expect(await entry.textContent()).toContain("hello-from-the-terminal\n");
    expect(await entry.getAttribute("data-lifecycle")).toBe("completed");

    const audit = await api(`/devices/${DEVICE}/audit-logs?event_type=command_queued`);
    expect(audit.body.audit_logs[0]).toMatchObject({
      username: expect.any(String),
      event_metadata: expect.objectContaining({ typed: "echo hello-from-the-terminal" }),
    });
    expect(failures).toEqual([]);
    await close();
  });

  it("an admin sends a push from the Push tab and sees it delivered once the device acknowledges it", async () => {
    const { page, failures, close } = await open(ADMIN);
    await page.goto(`${suite.base}/devices/${DEVICE}?tab=push`);
    await page.fill("#push-form input[name=title]", "Price update");
    await page.fill("#push-form textarea[name=body]", "New prices at 18:00");
    await page.click("#push-send");
    await page.locator("#push-logs-table", { hasText: "Price update" }).waitFor();
    const got = await api("/push/pending", { asDevice: true });
    expect(got.body.notifications).toEqual([expect.objectContaining({ title: "Price update" })]);
    const acked = await api("/push/ack", {
      method: "POST",
      asDevice: true,
      body: JSON.stringify({
        message_id: got.body.notifications[0].message_id,
        device_id: DEVICE,
        status: "delivered",
      }),
    });
    expect(acked.status).toBe(200);
    await page.locator("#push-logs-table .badge", { hasText: "delivered" }).waitFor();
    expect(failures).toEqual([]);
    await close();
  });

  it("a viewer sees logs and jobs but no terminal, audit or permissions tab", async () => {
    const { page, failures, close } = await open(VIEWER);
    await page.goto(`${suite.base}/devices/${DEVICE}?tab=logs`);
    await page.locator("#live-logs .log-line", { hasText: "Agent started" }).waitFor();
    for (const tab of ["terminal", "audit", "permissions"])
      expect(await page.locator(`#device-tab-${tab}`).count(), tab).toBe(0);
    await page.click("#device-tab-jobs");
    await page.locator("#device-jobs-table", { hasText: "Restart POS app" }).waitFor();
    expect(failures).toEqual([]);
    await close();
  });
});
