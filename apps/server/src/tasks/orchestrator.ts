import { JobOrchestrator } from "@homepot/core/jobs/orchestrator";
import { ServiceTask } from "./background-task.ts";

/** The job orchestrator: claims and runs due jobs (HOMEPOT_JOB_COMMAND_TIMEOUT_S, HOMEPOT_JOB_RETRIES). */
export class OrchestratorTask extends ServiceTask {
  constructor() {
    super(
      "orchestrator",
      (ctx, c) => new JobOrchestrator(ctx, { commandTimeoutMs: c.jobCommandTimeoutS * 1000, maxRetries: c.jobRetries }),
    );
  }
}
