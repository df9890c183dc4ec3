import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEnrolmentIntent } from "@homepot/core/enrolment/create-enrolment-intent";
import { rotateBootstrapKey } from "@homepot/core/enrolment/rotate-bootstrap-key";
import { createSite } from "@homepot/core/sites/create-site";
import { devices } from "@homepot/db";
import { createTestApp, type TestApp } from "@homepot/server/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../runtime/agent.ts";
import { ApiClient } from "../runtime/api.ts";
import { type DeviceDna, readDeviceDna } from "../runtime/device-dna.ts";
import { createLogger } from "../runtime/logger.ts";
import { pinReleaseKeys } from "../runtime/release-installer.ts";
import { StateStore } from "../state/agent-state.ts";
import { readCredentials } from "../state/credentials.ts";
import { DeviceConfigStore } from "../state/device-config.ts";
import { DiskQueue } from "../state/disk-queue.ts";
import { PermissionStore } from "../state/permissions.ts";
import * as bootstrap from "./bootstrap.ts";
import * as claim from "./claim.ts";

let t: TestApp;
let server: string;
beforeAll(async () => {
  t = await createTestApp();
  server = await t.app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => t?.close());

const quiet = { log: () => {}, error: (...m: unknown[]) => console.error(...m) };
const dir = () => mkdtempSync(join(tmpdir(), "homepot-agent-enrol-"));

function agentFor(folder: string, readDna: () => Promise<DeviceDna>) {
  const creds = readCredentials(join(folder, "credentials.json"));
  if (!creds) throw new Error("no credentials stored");
  return new Agent(
    {
      api: new ApiClient(server, { deviceId: creds.device_id, apiKey: creds.api_key }),
      queue: new DiskQueue(join(folder, "q"), 100),
      state: new StateStore(join(folder, "state.json")),
      config: new DeviceConfigStore(join(folder, "dc.json"), join(folder, "dc.previous.json")),
      log: createLogger("silent"),
      permissions: new PermissionStore(join(folder, "permissions.json")),
    },
    { intervalS: 60, pollIntervalS: 60, allowReboot: false, local: {}, readDna },
  );
}

describe("homepot-agent claim and bootstrap against a server", () => {
  it("claim redeems an intent, stores the key (0600), and the agent reports this machine's DNA once until it changes", async () => {
    const site = await createSite(t.ctx, { siteId: "site-agent-claim", name: "Agent claim" });
    const { intent, claimToken } = await createEnrolmentIntent(t.ctx, site.siteId, { deviceName: "Claimed till" });
    const folder = dir();
    const code = await claim.run(
      ["--server", server, "--intent", intent.intentId, "--identity", "SN-AGENT-1", "--dir", folder],
      { HOMEPOT_CLAIM_TOKEN: claimToken ?? "" },
      quiet,
    );
    expect(code).toBe(0);
    const creds = readCredentials(join(folder, "credentials.json"));
    expect(creds).toMatchObject({ site_id: site.siteId, api_key: expect.stringMatching(/^hpk_/) });
    expect((statSync(join(folder, "credentials.json")).mode & 0o777).toString(8)).toBe("600");
    // The claim's answer carried the release key: pinned with the credentials.
    const releaseKey = (await t.app.inject({ method: "GET", url: "/api/v1/releases/public-key" })).json().data;
    expect(readFileSync(join(folder, "release-keys.pem"), "utf8")).toBe(releaseKey.public_key.trim());
    expect((statSync(join(folder, "release-keys.pem")).mode & 0o777).toString(8)).toBe("600");
    const [row] = await t.database.db
      .select()
      .from(devices)
      .where(eq(devices.deviceId, creds?.device_id ?? ""));
    expect(row).toMatchObject({ name: "Claimed till", machineId: "SN-AGENT-1", enrolmentMethod: "claim" });

    // A second claim with the same token is refused with the server's reason.
    const again = await claim.run(
      ["--server", server, "--intent", intent.intentId, "--dir", dir()],
      { HOMEPOT_CLAIM_TOKEN: claimToken ?? "" },
      { log: () => {}, error: () => {} },
    );
    expect(again).toBe(1);

    // This machine's real DNA, then the same again, then a new address.
    const dna = await readDeviceDna();
    let reads = 0;
    const agent = agentFor(folder, async () => {
      reads += 1;
      return reads < 3 ? dna : { ...dna, local_ip: "10.1.2.3" };
    });
    expect(await agent.reportDna()).toBe(true);
    expect(await agent.reportDna()).toBe(false);
    expect(await agent.reportDna()).toBe(true);
    const [after] = await t.database.db
      .select()
      .from(devices)
      .where(eq(devices.deviceId, creds?.device_id ?? ""));
    expect(after).toMatchObject({ agentVersion: dna.agent_version, osDetails: dna.os_details, localIp: "10.1.2.3" });
    expect(after?.dnaUpdatedAt).not.toBeNull();
  });

  it("pins the release key an enrolment answer carries without asking the server again", async () => {
    const folder = dir();
    const unreachable = new ApiClient("http://127.0.0.1:9");
    const given = { public_key: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", trusted_keys: [] };
    expect(await pinReleaseKeys(unreachable, folder, given)).toBe(1);
    expect(readFileSync(join(folder, "release-keys.pem"), "utf8")).toBe(given.public_key);
    await expect(pinReleaseKeys(unreachable, folder, undefined)).rejects.toThrow();
  });

  it("bootstrap provisions with the site key; at a site that requires approval the device starts pending", async () => {
    const site = await createSite(t.ctx, { siteId: "site-agent-boot", name: "Agent bootstrap" });
    const { bootstrapKey } = await rotateBootstrapKey(t.ctx, site.siteId, { requireApproval: true });
    const folder = dir();
    const lines: string[] = [];
    const code = await bootstrap.run(
      ["--server", server, "--site", site.siteId, "--name", "Kiosk 1", "--type", "kiosk", "--dir", folder],
      { HOMEPOT_BOOTSTRAP_KEY: bootstrapKey },
      { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) },
    );
    expect(code, lines.join("\n")).toBe(0);
    expect(lines.join("\n")).toMatch(/waiting for an operator's approval/);
    const creds = readCredentials(join(folder, "credentials.json"));
    expect(creds?.device_id).toMatch(/^kiosk-[0-9a-f]{8}$/);
    const [row] = await t.database.db
      .select()
      .from(devices)
      .where(eq(devices.deviceId, creds?.device_id ?? ""));
    expect(row).toMatchObject({ name: "Kiosk 1", lifecycleState: "pending", enrolmentMethod: "bootstrap" });

    const wrong = await bootstrap.run(
      ["--server", server, "--site", site.siteId, "--dir", dir()],
      { HOMEPOT_BOOTSTRAP_KEY: "hpb_wrong" },
      { log: () => {}, error: (m: string) => lines.push(m) },
    );
    expect(wrong).toBe(1);
    expect(lines.at(-1)).toMatch(/401.*Invalid site or bootstrap key/);
  });
});
