import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { releaseDownloads } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDevice } from "../../../server/src/routes/devices/device-factories.ts";
import { assignRelease, uploadRelease } from "../../../server/src/routes/releases/release-testing.ts";
import { createTestApp, loginAs, type TestApp } from "../../../server/src/testing.ts";
import { ApiClient } from "./api.ts";
import type { HealthSummary } from "./executor.ts";
import { ReleaseInstaller } from "./release-installer.ts";

let t: TestApp;
let server: string;
let operator: Awaited<ReturnType<typeof loginAs>>;
const dir = mkdtempSync(join(tmpdir(), "homepot-agent-release-"));
const hookLog = join(dir, "hook.log");
const hook = join(dir, "install-hook.sh");
const v1 = Buffer.alloc(30_000, "pos-app 4.1.0 ");
const v2 = Buffer.alloc(60_000, "pos-app 4.2.0 ");

beforeAll(async () => {
  t = await createTestApp();
  server = await t.app.listen({ port: 0, host: "127.0.0.1" });
  operator = await loginAs(t, "operator");
  writeFileSync(hook, `#!/bin/sh\necho "$1 $HOMEPOT_RELEASE_VERSION $(wc -c < "$2")" >> "${hookLog}"\n`);
  chmodSync(hook, 0o755);
});
afterAll(async () => t.close());

const release = (r: Record<string, unknown>): Record<string, unknown> => ({
  ...r,
  os_families: (r.compatibility as { os_families: string[] }).os_families,
});

describe("ReleaseInstaller against a server", () => {
  it("installs, resumes a broken download with a Range request, rolls back on degradation, refuses a bad signature", async () => {
    const name = `pos-app-agent-${process.pid}`;
    const r1 = release(await uploadRelease(t, operator.headers, v1, { name, version: "4.1.0" }));
    const r2 = release(await uploadRelease(t, operator.headers, v2, { name, version: "4.2.0" }));
    const device = await makeDevice(t);
    await assignRelease(t, r1.release_id as string, device.device.deviceId);
    await assignRelease(t, r2.release_id as string, device.device.deviceId);
    // Health readings in order (before the install, after it); healthy when none is queued.
    const readings: HealthSummary["status"][] = [];
    const installer = new ReleaseInstaller({
      api: new ApiClient(server, { deviceId: device.device.deviceId, apiKey: device.apiKey }),
      dir,
      installHook: hook,
      log: pino({ level: "silent" }),
      takeHealth: async () => {
        const status = readings.shift() ?? "healthy";
        return {
          status,
          error: status === "healthy" ? null : "pos_app crashed",
          cpu_percent: 5,
          memory_percent: 20,
          disk_percent: 30,
          sample_id: "s",
          taken_at: new Date().toISOString(),
        };
      },
      sleep: async () => {},
    });

    const first = await installer.install(r1, true);
    expect(first, JSON.stringify(first)).toMatchObject({
      status: "succeeded",
      result: { outcome: "installed", installed_version: "4.1.0", verified: true },
    });
    expect(installer.versions().software_version).toBe("4.1.0");

    // A connection that broke after 20 000 bytes left a partial staging file: only the rest is fetched.
    mkdirSync(join(dir, "releases", "staging"), { recursive: true });
    writeFileSync(join(dir, "releases", "staging", `${r2.sha256}.part`), v2.subarray(0, 20_000));
    readings.push("healthy", "unhealthy"); // the new version breaks the till
    const second = await installer.install(r2, true);
    expect(second).toMatchObject({
      status: "failed",
      result: { outcome: "rolled_back", installed_version: "4.1.0", previous_version: "4.1.0" },
      error_message: expect.stringMatching(/^rolled back to 4.1.0: health became unhealthy/),
    });
    expect(installer.versions().software_version).toBe("4.1.0");
    expect(readFileSync(hookLog, "utf8").trim().split("\n")).toEqual([
      "install 4.1.0 30000",
      "install 4.2.0 60000",
      "rollback 4.1.0 30000",
    ]);
    const served = async () =>
      (
        await t.database.db
          .select({ bytes: releaseDownloads.bytesServed })
          .from(releaseDownloads)
          .where(
            and(
              eq(releaseDownloads.releaseId, r2.release_id as string),
              eq(releaseDownloads.deviceId, device.device.deviceId),
            ),
          )
      )[0]?.bytes;
    await expect.poll(served).toBe(40_000);

    const forged = await installer.install({ ...r2, version: "4.2.1" }, true);
    expect(forged).toMatchObject({ status: "failed", result: { outcome: "refused", verified: false } });
    expect(forged.error_message).toMatch(/release refused: signature does not verify/);
    const tampered = await installer.install({ ...r2, sha256: "0".repeat(64) }, true);
    expect(tampered.error_message).toMatch(/release refused: hash mismatch/);
  });
});
