import { randomBytes } from "node:crypto";
import { waitFor } from "@homepot/core/jobs/fake-fleet.testing";
import { JobOrchestrator } from "@homepot/core/jobs/orchestrator";
import { ManualClock } from "@homepot/core/simulator/scheduler";
import { type SimulatedFleet, startSimulatedFleet } from "@homepot/core/simulator/start-simulated-fleet";
import { devices, releaseDownloads } from "@homepot/db";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";
import { uploadRelease } from "./release-testing.ts";

// Monday 5 January 2026, 12:30 UTC: the demo sites are open.
const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 30));
let t: TestApp;
let sim: SimulatedFleet;
let orchestrator: JobOrchestrator;

beforeAll(async () => {
  t = await createTestApp({ clock });
  sim = await startSimulatedFleet(
    { ...t.ctx, clock },
    { devices: 3, clock, seed: 5, releases: t.app.releaseStore, releaseFailureRate: 0 },
  );
  orchestrator = new JobOrchestrator(
    { ...t.ctx, clock },
    {
      pollIntervalMs: 20,
      commandPollMs: 20,
      heartbeatMs: 1_000,
      staleAfterMs: 3_600_000,
      commandTimeoutMs: 15 * 60_000,
      maxRetries: 0,
      retryDelayMs: 0,
    },
  );
});
afterAll(async () => {
  await orchestrator?.stop();
  await sim?.stop();
  await t?.close();
});

type Json = any;
const IDS = ["pos-terminal-001", "pos-terminal-002", "pos-terminal-003"];

describe("simulated devices install releases", () => {
  it("download in ranges with their own rights, verify, install and report the new version; one fails its install hook", async () => {
    const { headers } = await loginAs(t, "operator");
    const bytes = randomBytes(600_000);
    const release = await uploadRelease(t, headers, bytes, {
      version: "4.3.0",
      compatibility: { device_types: ["pos_terminal"] },
    });
    sim.fleet.setReleaseFailureRate("pos-terminal-003", 1);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/jobs",
      headers,
      payload: {
        action: "Install the POS app 4.3.0",
        job_type: "software_update",
        release_id: release.release_id,
        device_ids: IDS,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const jobId = res.json().data.job_id as string;
    orchestrator.start();

    const job: Json = await waitFor(
      async () => {
        await sim.fleet.advance(5_000);
        await new Promise((r) => setTimeout(r, 15));
        const j = (await t.app.inject({ method: "GET", url: `/api/v1/jobs/${jobId}`, headers })).json().data;
        return ["completed", "partial", "failed"].includes(j.status) ? j : undefined;
      },
      "the release job to finish",
      90_000,
    );
    expect(job.status).toBe("partial");
    const byId = Object.fromEntries(job.devices.map((d: Json) => [d.device_id, d]));
    for (const id of ["pos-terminal-001", "pos-terminal-002"])
      expect(byId[id].release).toMatchObject({
        state: "installed",
        install_result: "installed",
        installed_version: "4.3.0",
        downloaded_bytes: bytes.length,
        percent: 100,
      });
    expect(byId["pos-terminal-003"].release).toMatchObject({
      state: "failed",
      install_result: "failed",
      downloaded_bytes: bytes.length,
      reason: expect.stringMatching(/release 4\.3\.0 not installed: install hook failed/),
    });

    // The new version reached the devices' rows through their health reports; the old stays where it failed.
    const rows = await t.database.db
      .select({ deviceId: devices.deviceId, software: devices.softwareVersion })
      .from(devices)
      .where(inArray(devices.deviceId, IDS));
    expect(Object.fromEntries(rows.map((r) => [r.deviceId, r.software]))).toEqual({
      "pos-terminal-001": "4.3.0",
      "pos-terminal-002": "4.3.0",
      "pos-terminal-003": null,
    });
    // Each device fetched the 600 kB in 256 KiB ranges (three requests), recorded against the job.
    const downloads = await t.database.db
      .select()
      .from(releaseDownloads)
      .where(eq(releaseDownloads.releaseId, release.release_id));
    expect(downloads).toHaveLength(3);
    for (const d of downloads)
      expect(d).toMatchObject({ jobId, requests: 3, bytesServed: bytes.length, highWater: bytes.length });
  });
});
