/**
 * The Commands page in a real browser against a real server: an admin saves a parameterised template with the
 * payload builder, runs it on a site, finds the commands in the fleet-wide history (filtered, with who sent them),
 * runs one again, saves one as a new template, edits and deletes templates. A viewer reads the history and the
 * templates and is offered none of the actions. No page error and no 4xx/5xx the pages caused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, type Json, startBrowserSuite, waitFor } from "./harness.ts";

const ADMIN = { email: "admin@example.com", password: "commands-pass-1" };
const VIEWER = { email: "viewer@example.com", password: "commands-pass-1" };
const SITE = "site-cmd";
const DEVICES = ["pos-cmd-1", "pos-cmd-2"];

describe.skipIf(!haveChromium())("commands page: templates and the fleet-wide history", () => {
  let suite: BrowserSuite;
  const api: BrowserSuite["api"] = (path, init) => suite.api(path, init);

  beforeAll(async () => {
    suite = await startBrowserSuite({ admin: ADMIN, users: [{ ...VIEWER, username: "commands_viewer" }] });
    await suite.siteWithDevices(
      { site_id: SITE, name: "Command Store" },
      DEVICES.map((id) => ({ device_id: id, name: `Command POS ${id}` })),
    );
  }, 300_000);

  afterAll(() => suite?.stop());

  it("an admin builds a template, runs it on a site, reuses the history and manages templates", async () => {
    const { page, failures, close } = await suite.open(ADMIN);
    page.on("dialog", (d) => void d.accept());
    await page.click("#nav-commands");
    await page.getByRole("heading", { level: 1, name: "Commands" }).waitFor();
    await page.click("#commands-tab-templates");
    await page.click("#template-new");
    await page.fill("#template-form input[name=name]", "Firmware to a version");
    // Picking a type starts the payload from its example; its {{version}} becomes a parameter to fill in.
    await page.selectOption("#template-form select[name=command_type]", "update_firmware");
    await page.locator("#template-parameters input[name=default-version]").waitFor();
    await page.click("#template-save");
    const row = page.locator("#command-templates-table tbody tr", { hasText: "Firmware to a version" });
    await row.waitFor();
    const templateId = (await api("/command-templates")).body.templates[0].template_id as string;

    await page.click(`#template-run-${templateId}`);
    await page.selectOption("#template-run-form select[name=target]", "site");
    await page.fill("#template-run-form input[name=targets]", SITE);
    await page.fill("#template-run-form input[name=param-version]", "4.2.0");
    await page.click("#template-run-submit");
    await page.locator("#template-run-result", { hasText: "Queued on 2 devices" }).waitFor();
    const queued = (await api("/commands?command_type=update_firmware")).body;
    expect(queued.commands.map((c: Json) => [c.device_id, c.payload])).toEqual(
      expect.arrayContaining(DEVICES.map((d) => [d, { firmware_version: "4.2.0" }])),
    );

    // The history: both commands, who sent them, filtered by site and type.
    await page.click("#commands-tab-history");
    await page.selectOption("#history-type", "update_firmware");
    await page.fill("#history-site", SITE);
    await page.press("#history-site", "Enter");
    const history = page.locator("#command-history-table tbody tr");
    await waitFor("both commands in the history", async () => (await history.count()) === 2);
    await page.locator("#history-range", { hasText: "1–2 of 2" }).waitFor();
    expect(await history.first().textContent()).toContain("update_firmware");
    await page.selectOption("#history-status", "cancelled");
    await page.getByText("No commands match these filters.").waitFor();
    await page.selectOption("#history-status", "");
    await waitFor("the commands again", async () => (await history.count()) === 2);

    // Run one again: a third command, same type and payload, on the same device.
    const first = queued.commands[0];
    await page.click(`#run-again-${first.command_id}`);
    await page.locator("#history-range", { hasText: "of 3" }).waitFor();
    const again = (await api(`/commands?device_id=${first.device_id}&command_type=update_firmware`)).body;
    expect(again.total).toBe(2);
    expect(again.commands[0]).toMatchObject({ payload: first.payload, created_by_username: expect.any(String) });

    // Save one as a template: the form opens on the Templates tab with its type and payload.
    await page.click(`#save-template-${first.command_id}`);
    await page.locator("#template-form").waitFor();
    expect(await page.inputValue("#template-form select[name=command_type]")).toBe("update_firmware");
    expect(JSON.parse(await page.inputValue("#template-form textarea[name=payload]"))).toEqual(first.payload);
    await page.fill("#template-form input[name=name]", "Firmware 4.2.0 as it was");
    await page.click("#template-save");
    await page.locator("#command-templates-table tbody tr", { hasText: "Firmware 4.2.0 as it was" }).waitFor();

    // Edit, then delete the first template.
    await page.click(`#template-edit-${templateId}`);
    await page.fill("#template-form input[name=description]", "Sets the firmware version");
    await page.click("#template-save");
    await row.filter({ hasText: "Sets the firmware version" }).waitFor();
    await page.click(`#template-delete-${templateId}`);
    await row.waitFor({ state: "detached" });
    expect((await api("/command-templates")).body.templates.map((t: Json) => t.name)).toEqual([
      "Firmware 4.2.0 as it was",
    ]);
    expect(failures).toEqual([]);
    await close();
  });

  it("a viewer reads the history and the templates but is offered no action", async () => {
    const { page, failures, close } = await suite.open(VIEWER);
    await page.goto(`${suite.base}/commands?site=${SITE}`);
    await page.locator("#command-history-table tbody tr").first().waitFor();
    expect(await page.locator("[id^=run-again-], [id^=save-template-]").count()).toBe(0);
    await page.click("#commands-tab-templates");
    await page.locator("#command-templates-table tbody tr", { hasText: "Firmware 4.2.0 as it was" }).waitFor();
    expect(await page.locator("#template-new, [id^=template-run-], [id^=template-edit-]").count()).toBe(0);
    expect(failures).toEqual([]);
    await close();
  });
});
