import type { FastifyInstance } from "fastify";
import { AlertSweepTask } from "./tasks/alert-sweep.ts";
import { AnalyticsMaintenanceTask } from "./tasks/analytics-maintenance.ts";
import { AnomalyDetectionTask } from "./tasks/anomaly-detection.ts";
import type { BackgroundTask } from "./tasks/background-task.ts";
import { CommandExpiryTask } from "./tasks/command-expiry.ts";
import { CommandPushTask } from "./tasks/command-push.ts";
import { ConfigChangeWatcherTask } from "./tasks/config-change-watcher.ts";
import { GapDetectorTask } from "./tasks/gap-detector.ts";
import { NotificationTask } from "./tasks/notifications.ts";
import { OrchestratorTask } from "./tasks/orchestrator.ts";
import { ReadReplicaCheckTask } from "./tasks/read-replica-check.ts";
import { SimulatorTask } from "./tasks/simulator.ts";

/** The tasks main.ts starts after listening, in order (and stops in reverse). */
export function backgroundTasks(app: FastifyInstance): BackgroundTask[] {
  const tasks: BackgroundTask[] = [];
  if (app.reads.configured) tasks.push(new ReadReplicaCheckTask());
  tasks.push(new CommandExpiryTask());
  tasks.push(new OrchestratorTask());
  tasks.push(new ConfigChangeWatcherTask());
  tasks.push(new AnalyticsMaintenanceTask());
  tasks.push(new GapDetectorTask());
  tasks.push(new AnomalyDetectionTask());
  tasks.push(new AlertSweepTask());
  tasks.push(new NotificationTask());
  const { mqttUrl, mqttUsername, mqttPassword } = app.deps.config;
  if (mqttUrl) tasks.push(new CommandPushTask(mqttUrl, { username: mqttUsername, password: mqttPassword }));
  if (app.deps.config.simulator && app.deps.config.simulatedDevices > 0)
    tasks.push(new SimulatorTask(app.deps.config.simulatedDevices, app.deps.config.simulatorIntervalS * 1000));
  return tasks;
}
