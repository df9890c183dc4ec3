import { loadConfig, systemContext } from "@homepot/core";
import { createCommandTemplate } from "@homepot/core/command-templates/create-command-template";
import { registerDevice } from "@homepot/core/devices/register-device";
import { createSite } from "@homepot/core/sites/create-site";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCliDatabase } from "../lib/database.ts";
import { runCli, useCliDatabase } from "../testing.ts";

let env: Awaited<ReturnType<typeof useCliDatabase>>;
let templateId = "";
beforeAll(async () => {
  env = await useCliDatabase();
  const database = await openCliDatabase(loadConfig());
  try {
    const ctx = systemContext(database.db, "test");
    await createSite(ctx, { siteId: "site-cli-cmd", name: "CLI Store", location: "CLI Street 1" });
    for (const id of ["pos-cli-cmd-1", "pos-cli-cmd-2"])
      await registerDevice(ctx, "site-cli-cmd", { deviceId: id, name: `CLI POS ${id}`, deviceType: "pos_terminal" });
    const tpl = await createCommandTemplate(ctx, {
      name: "Firmware to a version",
      commandType: "update_firmware",
      payload: { firmware_version: "{{version}}" },
      parameters: [{ name: "version", required: true }],
    });
    templateId = tpl.templateId;
  } finally {
    await database.close();
  }
}, 120_000);
afterAll(async () => env.cleanup());

describe("homepot commands", () => {
  it("lists templates, runs one on a site and finds the commands in the history", { timeout: 180_000 }, async () => {
    const templates = await runCli(["commands", "templates", "--json"]);
    expect(templates.code, templates.stderr).toBe(0);
    expect(JSON.parse(templates.stdout)).toMatchObject([
      { template_id: templateId, command_type: "update_firmware", parameters: [{ name: "version", required: true }] },
    ]);

    const missing = await runCli(["commands", "run-template", templateId, "--site", "site-cli-cmd"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("parameter version is required");
    const both = await runCli(["commands", "run-template", templateId]);
    expect(both.code).toBe(2);

    const ran = await runCli([
      "commands",
      "run-template",
      templateId,
      "--site",
      "site-cli-cmd",
      "--param",
      "version=5.0.1",
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/queued cmd-\S+ on pos-cli-cmd-1\nqueued cmd-\S+ on pos-cli-cmd-2/);

    const list = await runCli(["commands", "list", "--site", "site-cli-cmd", "--type", "update_firmware", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout);
    expect(rows.map((c: { device_id: string }) => c.device_id).sort()).toEqual(["pos-cli-cmd-1", "pos-cli-cmd-2"]);
    expect(rows[0]).toMatchObject({
      payload: { firmware_version: "5.0.1" },
      site_id: "site-cli-cmd",
      created_by: "cli",
    });
    const none = await runCli(["commands", "list", "--status", "succeeded"]);
    expect(none.stdout).toContain("0 of 0");
    const refused = await runCli([
      "commands",
      "run-template",
      templateId,
      "--device",
      "pos-nope",
      "--param",
      "version=1",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("refused by pos-nope");
  });
});
