import { ConfigChangeWatcher } from "@homepot/core/config-history/config-change-watcher";
import { ServiceTask } from "./background-task.ts";

/** Records applied device configs and closes the loop on them (HOMEPOT_CONFIG_SETTLE_S), jobs or not. */
export class ConfigChangeWatcherTask extends ServiceTask {
  constructor() {
    super(
      "config-change-watcher",
      (ctx, c) =>
        new ConfigChangeWatcher(ctx, {
          settleMs: c.configSettleS * 1000,
          commandTtlMs: c.jobCommandTimeoutS * 1000,
          // A fresh report normally arrives within two report intervals; then the device is asked for one.
          healthWaitMs: Math.max(120_000, 4 * c.simulatorIntervalS * 1000),
        }),
    );
  }
}
