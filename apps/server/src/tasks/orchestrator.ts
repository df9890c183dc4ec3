import { JobOrchestrator } from "@homepot/core/jobs/orchestrator";
import type { FastifyInstance } from "fastify";
import { type BackgroundTask, taskContext } from "./background-task.ts";

/** The job orchestrator: claims and runs due jobs (HOMEPOT_JOB_COMMAND_TIMEOUT_S, HOMEPOT_JOB_RETRIES). */
export class OrchestratorTask implements BackgroundTask {
  readonly name = "orchestrator";
  private orchestrator: JobOrchestrator | undefined;

  start(app: FastifyInstance): void {
    const c = app.deps.config;
    this.orchestrator = new JobOrchestrator(taskContext(app, this.name), {
      commandTimeoutMs: c.jobCommandTimeoutS * 1000,
      maxRetries: c.jobRetries,
    });
    this.orchestrator.start();
  }

  async stop(): Promise<void> {
    await this.orchestrator?.stop();
    this.orchestrator = undefined;
  }
}
