import { loadConfig, systemContext } from "@homepot/core";
import { registerDevice } from "@homepot/core/devices/register-device";
import { createSite } from "@homepot/core/sites/create-site";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCliDatabase } from "../lib/database.ts";
import { runCli, useCliDatabase } from "../testing.ts";

let env: Awaited<ReturnType<typeof useCliDatabase>>;
beforeAll(async () => {
  env = await useCliDatabase();
  const database = await openCliDatabase(loadConfig());
  try {
    const ctx = systemContext(database.db, "test");
    await createSite(ctx, { siteId: "site-cli-a", name: "CLI A" });
    await createSite(ctx, { siteId: "site-cli-b", name: "CLI B" });
    await registerDevice(ctx, "site-cli-a", { deviceId: "till-cli-1", name: "Till", deviceType: "pos_terminal" });
  } finally {
    await database.close();
  }
}, 120_000);
afterAll(async () => env.cleanup());

const json = async (argv: string[]) => {
  const r = await runCli([...argv, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe("homepot devices", () => {
  it("lists with badges and walks a device through suspend, resume, transfer, unpair, re-enrol, archive, restore", {
    timeout: 120_000,
  }, async () => {
    const table = await runCli(["devices", "list", "--site", "site-cli-a"]);
    expect(table.stdout).toMatch(/till-cli-1 .*active .*unknown .*real/);
    expect(await json(["devices", "suspend", "till-cli-1", "--reason", "refit"])).toMatchObject({
      lifecycle_state: "suspended",
    });
    expect(await json(["devices", "list", "--lifecycle", "suspended"])).toMatchObject([{ device_id: "till-cli-1" }]);
    expect((await runCli(["devices", "resume", "till-cli-1"])).stdout).toContain("is now active at site-cli-a");

    const moved = await json(["devices", "transfer", "till-cli-1", "--to", "site-cli-b"]);
    expect(moved).toMatchObject({ site_id: "site-cli-b", lifecycle_state: "active" });
    expect(moved.api_key).toMatch(/\S{20,}/);
    expect((await runCli(["devices", "unpair", "till-cli-1"])).stdout).toContain("is now unpaired");
    const back = await runCli(["devices", "reenrol", "till-cli-1"]);
    expect(back.stdout).toContain("is now active at site-cli-b");
    expect(back.stdout).toMatch(/New API key \(shown once.*\): \S{20,}/);

    expect((await runCli(["devices", "archive", "till-cli-1"])).stdout).toContain("archived (suspended, archived)");
    expect(await json(["devices", "list"])).toEqual([]);
    expect(await json(["devices", "list", "--archived"])).toMatchObject([
      { device_id: "till-cli-1", is_active: false },
    ]);
    expect(await json(["devices", "restore", "till-cli-1"])).toMatchObject({
      is_active: true,
      lifecycle_state: "suspended",
    });
    expect((await runCli(["devices", "restore", "till-cli-1"])).stdout).toContain("was already in the lists");
  });

  it("refuses what the state does not allow, unknown devices and bad flags", { timeout: 60_000 }, async () => {
    const wrong = await runCli(["devices", "reenrol", "till-cli-1"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/only unpaired/);
    const missing = await runCli(["devices", "suspend", "no-such-till"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no-such-till not found");
    expect((await runCli(["devices", "transfer", "till-cli-1"])).code).toBe(2);
    expect((await runCli(["devices", "list", "--lifecycle", "asleep"])).stderr).toContain("--lifecycle must be one of");
    expect((await runCli(["devices", "suspend"])).code).toBe(2);
  });
});
