import { makeDevices, makeSite, startResponder, waitFor } from "@homepot/core/jobs/fake-fleet.testing";
import { jobOutcomes, jobs } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orchestratorTask } from "../background.ts";
import { createTestApp, loginAs, type TestApp } from "../testing.ts";

let t: TestApp;
const task = orchestratorTask();
beforeAll(async () => {
  t = await createTestApp({ env: { HOMEPOT_JOB_RETRIES: "0", HOMEPOT_JOB_COMMAND_TIMEOUT_S: "30" } });
  await task.start(t.app);
});
afterAll(async () => {
  await task.stop();
  await t.close();
});

describe("the orchestrator background task", () => {
  it("runs jobs created through the API, with the configured retry policy", async () => {
    await makeSite(t.database.db, "site-task");
    await makeDevices(t.database.db, "site-task", 2);
    const responder = startResponder(t.database.db, ({ deviceId }) => (deviceId.endsWith("01") ? "failed" : "succeeded"));
    try {
      const { headers } = await loginAs(t, "operator");
      const res = await t.app.inject({ method: "POST", url: "/api/v1/jobs", headers, payload: { action: "Restart POS", job_type: "restart", site_id: "site-task", priority: "high" } });
      expect(res.statusCode).toBe(201);
      const jobId = res.json().data.job_id as string;
      const job = await waitFor(async () => {
        const [j] = await t.database.db.select().from(jobs).where(eq(jobs.jobId, jobId));
        return j && j.status !== "pending" && j.status !== "sent" ? j : undefined;
      }, "the job to finish");
      expect(job.status).toBe("partial");
      const outcomes = await t.database.db.select().from(jobOutcomes).where(eq(jobOutcomes.jobId, jobId));
      expect(outcomes.find((o) => o.deviceId === "site-task-pos-01")?.retryCount).toBe(0);
      const detail = await t.app.inject({ method: "GET", url: `/api/v1/jobs/${jobId}`, headers });
      expect(detail.json().data.progress).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    } finally {
      await responder.stop();
    }
  });
});
