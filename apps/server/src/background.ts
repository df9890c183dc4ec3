import { systemActor } from "@homepot/core";
import { JobOrchestrator } from "@homepot/core/jobs/orchestrator";
import type { FastifyInstance } from "fastify";
import { AnalyticsMaintenanceTask } from "./tasks/analytics-maintenance.ts";
import { AnomalyDetectionTask } from "./tasks/anomaly-detection.ts";
import { CommandExpiryTask } from "./tasks/command-expiry.ts";
import { CommandPushTask } from "./tasks/command-push.ts";
import { GapDetectorTask } from "./tasks/gap-detector.ts";
import { SimulatorTask } from "./tasks/simulator.ts";

/** A long-running task of the server process (simulator, gap detector, orchestrator…). */
export interface BackgroundTask {
  name: string;
  start(app: FastifyInstance): Promise<void> | void;
  /** Stops and flushes; called before the HTTP server and the database close. */
  stop(): Promise<void> | void;
}

/** The job orchestrator: runs due jobs and closes the loop on device config changes. */
export function orchestratorTask(): BackgroundTask {
  let orchestrator: JobOrchestrator | undefined;
  return {
    name: "orchestrator",
    start(app) {
      const c = app.deps.config;
      orchestrator = new JobOrchestrator(
        {
          db: app.deps.database.db,
          actor: systemActor,
          clock: app.deps.clock,
          logger: app.log.child({ task: "orchestrator" }),
        },
        {
          commandTimeoutMs: c.jobCommandTimeoutS * 1000,
          maxRetries: c.jobRetries,
          configSettleMs: c.configSettleS * 1000,
          // A fresh report normally arrives within two report intervals; then the device is asked for one.
          healthWaitMs: Math.max(120_000, 4 * c.simulatorIntervalS * 1000),
        },
      );
      orchestrator.start();
    },
    async stop() {
      await orchestrator?.stop();
    },
  };
}

/** The tasks main.ts starts after listening, in order (and stops in reverse). */
export function backgroundTasks(app: FastifyInstance): BackgroundTask[] {
  const tasks: BackgroundTask[] = [];
  tasks.push(new CommandExpiryTask());
  tasks.push(orchestratorTask());
  tasks.push(new AnalyticsMaintenanceTask());
  tasks.push(new GapDetectorTask());
  tasks.push(new AnomalyDetectionTask());
  const { mqttUrl, mqttUsername, mqttPassword } = app.deps.config;
  if (mqttUrl) tasks.push(new CommandPushTask(mqttUrl, { username: mqttUsername, password: mqttPassword }));
  if (app.deps.config.simulator && app.deps.config.simulatedDevices > 0)
    tasks.push(new SimulatorTask(app.deps.config.simulatedDevices, app.deps.config.simulatorIntervalS * 1000));
  return tasks;
}
