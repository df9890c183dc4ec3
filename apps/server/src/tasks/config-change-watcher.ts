import { ConfigChangeWatcher } from "@homepot/core/config-history/config-change-watcher";
import type { FastifyInstance } from "fastify";
import { type BackgroundTask, taskContext } from "./background-task.ts";

/** Records applied device configs and closes the loop on them (HOMEPOT_CONFIG_SETTLE_S), jobs or not. */
export class ConfigChangeWatcherTask implements BackgroundTask {
  readonly name = "config-change-watcher";
  private watcher: ConfigChangeWatcher | undefined;

  start(app: FastifyInstance): void {
    const c = app.deps.config;
    this.watcher = new ConfigChangeWatcher(taskContext(app, this.name), {
      settleMs: c.configSettleS * 1000,
      commandTtlMs: c.jobCommandTimeoutS * 1000,
      // A fresh report normally arrives within two report intervals; then the device is asked for one.
      healthWaitMs: Math.max(120_000, 4 * c.simulatorIntervalS * 1000),
    });
    this.watcher.start();
  }

  async stop(): Promise<void> {
    await this.watcher?.stop();
    this.watcher = undefined;
  }
}
