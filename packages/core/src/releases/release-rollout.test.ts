import { deviceCommands, type devices, jobDevices, releases } from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Context, systemContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { createJob } from "../jobs/create-job.ts";
import { makeDevices, makeSite, startResponder, waitFor } from "../jobs/fake-fleet.testing.ts";
import { getJob } from "../jobs/get-job.ts";
import { JobOrchestrator } from "../jobs/orchestrator.ts";

let database: TestDatabase;
let ctx: Context;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = systemContext(database.db, "test");
  await makeSite(database.db, "site-r1");
  await makeDevices(database.db, "site-r1", 3, "old", { softwareVersion: "4.1.0", osFamily: "linux" });
  const singles: [string, Partial<typeof devices.$inferInsert>][] = [
    ["current", { softwareVersion: "4.2.0", osFamily: "linux" }],
    ["ancient", { softwareVersion: "3.9.0", osDetails: "Ubuntu 24.04" }],
    ["kiosk", { softwareVersion: "4.1.0", deviceType: "kiosk" }],
    ["windows", { softwareVersion: "4.1.0", osDetails: "Microsoft Windows 11 Pro" }],
  ];
  for (const [prefix, extra] of singles)
    await makeDevices(database.db, "site-r1", 1, prefix, { name: prefix, ...extra });
});
afterAll(async () => database.close());

async function makeRelease(values: Partial<typeof releases.$inferInsert> = {}) {
  const [row] = await database.db
    .insert(releases)
    .values({
      releaseId: `rel-${Math.random().toString(16).slice(2, 10).padEnd(8, "0")}`,
      name: "pos-app",
      releaseType: "software",
      sha256: "ab".repeat(32),
      sizeBytes: 1234,
      signature: "sig",
      signingKey: "key",
      signedBy: "server",
      deviceTypes: ["pos_terminal"],
      minCurrentVersion: "4.0.0",
      ...values,
      version: values.version ?? `4.2.${Math.floor(Math.random() * 1e6)}`,
    })
    .returning();
  if (!row) throw new Error("no release");
  return row;
}

describe("release rollouts", () => {
  it("refuses a software_update without a release, a deprecated release, or a release of the other type", async () => {
    const input = { action: "Install POS app", jobType: "software_update" as const, siteId: "site-r1" };
    await expect(createJob(ctx, input)).rejects.toThrow(/needs release_id/);
    const deprecated = await makeRelease({ status: "deprecated" });
    await expect(createJob(ctx, { ...input, releaseId: deprecated.releaseId })).rejects.toThrow(/is deprecated/);
    const firmware = await makeRelease({ releaseType: "firmware" });
    const wrongType = createJob(ctx, { ...input, releaseId: firmware.releaseId });
    await expect(wrongType).rejects.toBeInstanceOf(ValidationError);
    await expect(wrongType).rejects.toThrow(/firmware release; a software_update job cannot install it/);
  });

  it("sends UPDATE_SOFTWARE with what to verify to the devices that need it and skips the rest, saying why", async () => {
    const release = await makeRelease({ version: "4.2.0", osFamilies: ["linux"] });
    const { job } = await createJob(ctx, {
      action: "Install POS app 4.2.0",
      jobType: "software_update",
      siteId: "site-r1",
      segment: "pos-terminals",
      releaseId: release.releaseId,
      rollout: { batches: [1, 2], error_threshold: 0.5 },
    });
    expect(job.configVersion).toBe("4.2.0");
    const responder = startResponder(database.db, () => "succeeded");
    const orchestrator = new JobOrchestrator(ctx, { pollIntervalMs: 20, commandPollMs: 20, heartbeatMs: 40 });
    orchestrator.start();
    try {
      const done = await waitFor(async () => {
        const j = await getJob(ctx, job.jobId);
        return j.status === "completed" && j;
      }, "the release job to complete");
      expect(done.release_id).toBe(release.releaseId);
      expect(done.progress).toMatchObject({ total: 7, succeeded: 3, skipped: 4, failed: 0 });
      const skipped = Object.fromEntries(
        done.devices.filter((d) => d.status === "skipped").map((d) => [d.device_id, d.error_message]),
      );
      expect(skipped).toEqual({
        "current-pos-01": "already on 4.2.0",
        "ancient-pos-01": expect.stringMatching(/needs 4.0.0 or later installed, the device has 3.9.0/),
        "kiosk-pos-01": expect.stringMatching(/device type kiosk/),
        "windows-pos-01": "incompatible: OS family windows is not one of linux",
      });
      expect(done.devices.find((d) => d.device_id === "old-pos-01")?.release).toMatchObject({
        size_bytes: 1234,
        downloaded_bytes: 0,
        state: "installed",
        reason: null,
      });
      // The job page's per-device state: a skipped device says why.
      expect(done.devices.find((d) => d.device_id === "current-pos-01")?.release).toMatchObject({
        state: "skipped",
        reason: "already on 4.2.0",
      });
      const commands = await database.db.select().from(deviceCommands).where(eq(deviceCommands.jobId, job.jobId));
      expect(commands.map((c) => c.deviceId).sort()).toEqual(["old-pos-01", "old-pos-02", "old-pos-03"]);
      expect(commands[0]).toMatchObject({
        commandType: "UPDATE_SOFTWARE",
        payload: expect.objectContaining({
          release: expect.objectContaining({
            release_id: release.releaseId,
            version: "4.2.0",
            sha256: release.sha256,
            signature: "sig",
            download_path: `/api/v1/releases/${release.releaseId}/download`,
          }),
        }),
      });
      const batches = await database.db.select().from(jobDevices).where(eq(jobDevices.jobId, job.jobId));
      expect(new Set(batches.filter((b) => b.status === "succeeded").map((b) => b.batch))).toEqual(new Set([0, 1]));
    } finally {
      await orchestrator.stop();
      await responder.stop();
    }
  });
});
