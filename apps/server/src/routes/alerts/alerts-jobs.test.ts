import { type Answer, startResponder, waitFor } from "@homepot/core/jobs/fake-fleet.testing";
import { JobOrchestrator } from "@homepot/core/jobs/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskContext } from "../../tasks/background-task.ts";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice, makeSite } from "../devices/device-factories.ts";

// The built-in "Job failed or rolled back" rule, driven by real job runs: jobs created through the API, run by the
// orchestrator the server runs (its task context, so its signals reach the app's alert engine), with a stand-in agent
// answering the device's commands through the same use case the agent's HTTP call reaches.
let t: TestApp;
let orchestrator: JobOrchestrator;
let answer: Answer = "failed";
let responder: { stop(): Promise<void> };
let operator: Record<string, string>;
let viewer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  operator = (await loginAs(t, "operator")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
  orchestrator = new JobOrchestrator(taskContext(t.app, "orchestrator"), {
    pollIntervalMs: 20,
    commandPollMs: 20,
    heartbeatMs: 1_000,
    staleAfterMs: 60_000,
    commandTimeoutMs: 30_000,
    maxRetries: 0,
    retryDelayMs: 0,
  });
  orchestrator.start();
  responder = startResponder(t.ctx.db, () => answer);
});
afterAll(async () => {
  await responder?.stop();
  await orchestrator?.stop();
  await t?.close();
});

describe("job-failed alerts through real job runs", () => {
  it("a job that fails on a device opens the alert; a later successful job of that type at the site resolves it", async () => {
    const site = await makeSite(t, { name: "Job Alert Store" });
    await makeDevice(t, { siteId: site.siteId });

    const run = async (jobType: string, action: string) => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/jobs",
        headers: operator,
        payload: { action, job_type: jobType, site_id: site.siteId },
      });
      expect(res.statusCode, res.body).toBe(201);
      const jobId = res.json().data.job_id as string;
      const status = await waitFor(async () => {
        const job = await t.app.inject({ url: `/api/v1/jobs/${jobId}`, headers: viewer });
        const s = job.json().data?.status as string | undefined;
        return s && ["completed", "partial", "failed"].includes(s) ? s : undefined;
      }, `job ${jobId} to finish`);
      await t.app.alerts.idle();
      return { jobId, status };
    };
    const jobAlerts = async () => {
      const res = await t.app.inject({ url: `/api/v1/alerts?site_id=${site.siteId}&status=all`, headers: viewer });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().alerts as Array<Record<string, any>>).filter((a) => a.kind === "job_failed");
    };

    answer = "failed";
    const failed = await run("restart", "Restart POS");
    expect(failed.status).toBe("failed");
    let alerts = await jobAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: "open", site_id: site.siteId });
    expect(JSON.stringify(alerts[0])).toContain(failed.jobId);

    // A job of another type completing at the site leaves it open.
    answer = "succeeded";
    expect((await run("health_check", "Run health check")).status).toBe("completed");
    alerts = await jobAlerts();
    expect(alerts.map((a) => a.status)).toEqual(["open"]);

    const fixed = await run("restart", "Restart POS again");
    expect(fixed.status).toBe("completed");
    alerts = await jobAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: "resolved", resolved_by: "system" });
    expect(alerts[0]?.resolution_note).toContain(fixed.jobId);
  });
});
