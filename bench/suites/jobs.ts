import { systemContext } from "@homepot/core";
import { commandBus } from "@homepot/core/commands/command-bus";
import { queueCommand } from "@homepot/core/commands/queue-command";
import { reportCommandResult } from "@homepot/core/commands/report-command-result";
import { createJob } from "@homepot/core/jobs/create-job";
import { JobOrchestrator } from "@homepot/core/jobs/orchestrator";
import { devices, jobs, openDatabase, sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { BenchOptions } from "../lib/types.ts";

/**
 * The orchestrator at fleet scale: one restart job over N devices of a site whose agents answer every
 * command at once (through reportCommandResult, as the device route does). Headline: jobs_overhead_ratio,
 * the job's wall time over the time the same N commands take to queue and report without the orchestrator
 * (lower is better; the orchestrator adds progress rows, polling and outcomes). HOMEPOT_BENCH_JOB_DEVICES overrides N.
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const n = Number(process.env.HOMEPOT_BENCH_JOB_DEVICES ?? (options.quick ? 300 : 3000));
  const database = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 10 });
  const ctx = systemContext(database.db, "bench");
  try {
    for (const siteId of ["bench-base", "bench-job"]) {
      await database.db.insert(sites).values({ siteId, name: siteId });
      for (let i = 0; i < n; i += 1000) {
        const chunk = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
          deviceId: `${siteId}-${String(i + k).padStart(6, "0")}`,
          name: `POS ${i + k}`,
          deviceType: "pos_terminal",
          status: "online",
          siteId,
        }));
        await database.db.insert(devices).values(chunk);
      }
    }
    // Agents that answer each command as soon as it is queued.
    const answer = commandBus.on("queued", (e) => {
      void reportCommandResult({ ...ctx, actor: { kind: "device", deviceId: e.deviceId } }, e.deviceId, e.commandId, {
        status: "succeeded",
        result: { ok: true },
      }).catch(() => {});
    });

    // Baseline: the same commands queued one after another and answered, without a job.
    const baseIds = (
      await database.db.select({ id: devices.deviceId }).from(devices).where(eq(devices.siteId, "bench-base"))
    ).map((r) => r.id);
    let t0 = performance.now();
    for (const deviceId of baseIds) await queueCommand(ctx, { deviceId, commandType: "RESTART", expiresInS: 600 });
    const baselineMs = performance.now() - t0;
    options.log(`baseline: ${n} commands queued and answered in ${Math.round(baselineMs)} ms`);

    const orchestrator = new JobOrchestrator(ctx, {
      pollIntervalMs: 50,
      commandPollMs: 200,
      commandTimeoutMs: 600_000,
    });
    const { job } = await createJob(ctx, {
      action: "Bench restart",
      jobType: "restart",
      siteId: "bench-job",
      segment: "pos-terminals",
    });
    t0 = performance.now();
    orchestrator.start();
    for (;;) {
      const [row] = await database.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.jobId, job.jobId));
      if (row && ["completed", "partial", "failed"].includes(row.status)) {
        if (row.status !== "completed") throw new Error(`bench job ended ${row.status}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const jobMs = performance.now() - t0;
    await orchestrator.stop();
    answer();
    options.log(`job: ${n} devices in ${Math.round(jobMs)} ms`);
    return {
      jobs_overhead_ratio: Math.round((jobMs / baselineMs) * 100) / 100,
      job_devices: n,
      job_ms: Math.round(jobMs),
      job_devices_per_s: Math.round((n / jobMs) * 1000),
      baseline_commands_ms: Math.round(baselineMs),
    };
  } finally {
    await database.close();
  }
}
