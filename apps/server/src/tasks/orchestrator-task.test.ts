import { makeDevices, makeSite, startResponder, waitFor } from "@homepot/core/jobs/fake-fleet.testing";
import { deviceCommands, jobOutcomes, jobs, openDatabase } from "@homepot/db";
import { eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { createTestApp, loginAs, type TestApp } from "../testing.ts";
import { OrchestratorTask } from "./orchestrator.ts";

let t: TestApp;
const task = new OrchestratorTask();
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
    const responder = startResponder(t.database.db, ({ deviceId }) =>
      deviceId.endsWith("01") ? "failed" : "succeeded",
    );
    try {
      const { headers } = await loginAs(t, "operator");
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/jobs",
        headers,
        payload: { action: "Restart POS", job_type: "restart", site_id: "site-task", priority: "high" },
      });
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

// PGlite is one process's embedded engine, which a second instance cannot share: this case exists only in
// the postgres project (which CI always runs), rather than being reported as skipped on PGlite.
if (process.env.HOMEPOT_TEST_DB === "postgres")
  describe("two app instances on one PostgreSQL database", () => {
    it("never run one job twice", async () => {
      // A second server process in all but the OS process: its own app, pool and orchestrator task.
      const database2 = await openDatabase({ databaseUrl: t.database.url, poolSize: 4 });
      const app2 = await buildApp({ config: t.config, database: database2 }, { logger: false, dashboard: false });
      await app2.ready();
      const task2 = new OrchestratorTask();
      await task2.start(app2);
      const responder = startResponder(t.database.db, () => "succeeded");
      try {
        await makeSite(t.database.db, "site-twin");
        await makeDevices(t.database.db, "site-twin", 3);
        const { headers } = await loginAs(t, "operator");
        const ids: string[] = [];
        for (let i = 0; i < 6; i += 1) {
          const app = i % 2 === 0 ? t.app : app2;
          const res = await app.inject({
            method: "POST",
            url: "/api/v1/jobs",
            headers,
            payload: { action: `Restart ${i}`, job_type: "restart", site_id: "site-twin" },
          });
          expect(res.statusCode).toBe(201);
          ids.push(res.json().data.job_id);
        }
        for (const id of ids) {
          await waitFor(
            async () => {
              const [j] = await t.database.db.select().from(jobs).where(eq(jobs.jobId, id));
              return j?.status === "completed";
            },
            `job ${id}`,
            60_000,
          );
        }
        const summaries = await t.database.db.select().from(jobOutcomes).where(isNull(jobOutcomes.deviceId));
        for (const id of ids) {
          expect(summaries.filter((o) => o.jobId === id)).toHaveLength(1);
          expect(await t.database.db.select().from(deviceCommands).where(eq(deviceCommands.jobId, id))).toHaveLength(3);
          const [j] = await t.database.db.select().from(jobs).where(eq(jobs.jobId, id));
          expect(j?.attempts).toBe(1);
        }
      } finally {
        await responder.stop();
        await task2.stop();
        await app2.close();
        await database2.close();
      }
    });
  });
