import { randomBytes } from "node:crypto";
import { createUser } from "@homepot/core";
import { waitFor } from "@homepot/core/jobs/fake-fleet.testing";
import { getJob } from "@homepot/core/jobs/get-job";
import { JobOrchestrator } from "@homepot/core/jobs/orchestrator";
import { Fleet } from "@homepot/core/simulator/fleet";
import { ManualClock } from "@homepot/core/simulator/scheduler";
import { devices, releaseDownloads } from "@homepot/db";
import { uploadRelease } from "@homepot/server/routes/releases/release-testing";
import { createTestApp, loginAs, type TestApp } from "@homepot/server/testing";
import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./api-client.ts";
import { HttpFleetTransport, provisionHttpFleet } from "./simulator-http.ts";

let t: TestApp;
let server: string;
let orchestrator: JobOrchestrator;
const operator = { email: "sim-release@example.com", password: "operator-password-1" };
beforeAll(async () => {
  t = await createTestApp();
  server = await t.app.listen({ port: 0, host: "127.0.0.1" });
  await createUser(t.ctx, { ...operator, username: "sim_release", role: "operator" });
  orchestrator = new JobOrchestrator(t.ctx, { pollIntervalMs: 20, commandPollMs: 20, heartbeatMs: 1_000 });
});
afterAll(async () => {
  await orchestrator?.stop();
  await t?.close();
});

describe("homepot simulate installs releases over HTTP", () => {
  it("downloads with each device's key in Range requests, verifies, installs and reports the new version", async () => {
    const client = new ApiClient(server);
    await client.login(operator.email, operator.password);
    const transport = new HttpFleetTransport(client);
    const provisioned = await provisionHttpFleet(client, transport, {
      sites: ["site-001"],
      devices: 2,
      prefix: "rel-pos-",
    });
    const fleet = new Fleet({
      devices: provisioned.specs.map((d) => ({ ...d, releaseFailureRate: 0 })),
      sites: provisioned.sites,
      transport,
      clock: new ManualClock(Date.now()),
      seed: 3,
      intervalMs: 30_000,
    });
    const { headers } = await loginAs(t, "operator");
    const bytes = randomBytes(300_000);
    const release = await uploadRelease(t, headers, bytes, {
      version: "5.1.0",
      compatibility: { device_types: ["pos_terminal"] },
    });
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/jobs",
      headers,
      payload: {
        action: "Install 5.1.0",
        job_type: "software_update",
        release_id: release.release_id,
        device_ids: ["rel-pos-001", "rel-pos-002"],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const jobId = res.json().data.job_id as string;
    orchestrator.start();

    // Each report polls for commands; the install's time passes on the manual clock.
    const job = await waitFor(async () => {
      await fleet.advance(10_000);
      const j = await getJob(t.ctx, jobId);
      return j.status === "completed" && j;
    }, "the release job to complete");
    expect(job.devices.map((d) => d.release?.state)).toEqual(["installed", "installed"]);
    expect(transport.failures).toEqual([]);
    const rows = await t.database.db.select().from(devices).where(like(devices.deviceId, "rel-pos-%"));
    expect(rows.map((r) => r.softwareVersion)).toEqual(["5.1.0", "5.1.0"]);
    const downloads = await t.database.db
      .select()
      .from(releaseDownloads)
      .where(eq(releaseDownloads.releaseId, release.release_id));
    expect(downloads.map((d) => [d.requests, d.highWater])).toEqual([
      [2, bytes.length],
      [2, bytes.length],
    ]);
  });
});
