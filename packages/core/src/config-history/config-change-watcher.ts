import { readCommandStates } from "../commands/command.repository.ts";
import { commandBus } from "../commands/command-bus.ts";
import type { Context } from "../context.ts";
import { ErrorCodes, logError } from "../errors-log/log-error.ts";
import { evaluateConfigChanges } from "./evaluate-config-changes.ts";
import { defaultThresholds, type PerformanceThresholds } from "./performance.ts";
import { recordConfigApplied } from "./record-config-applied.ts";
import { recordMissedConfigChanges } from "./record-missed-config-changes.ts";

export interface ConfigWatcherOptions {
  /** How often to look for config changes whose settling period is over. */
  pollIntervalMs: number;
  /** Settling period before performance_after is measured after a config change. */
  settleMs: number;
  /** How long to wait for a fresh health report after the settling period. */
  healthWaitMs: number;
  /** How long a rollback or health-check command may wait for its device. */
  commandTtlMs: number;
  thresholds: PerformanceThresholds;
  /** How often to look for applied configs no listener recorded, and how far back. */
  catchUpMs: number;
  catchUpLookbackMs: number;
}

export const defaultConfigWatcherOptions: ConfigWatcherOptions = {
  pollIntervalMs: 2_000,
  settleMs: 60_000,
  healthWaitMs: 120_000,
  commandTtlMs: 120_000,
  thresholds: defaultThresholds,
  catchUpMs: 30_000,
  catchUpLookbackMs: 6 * 3600_000,
};

/**
 * Closes the loop on device config changes, jobs or not: records every UPDATE_CONFIG that succeeded
 * (the command bus, plus a catch-up sweep for ones reported to an instance that did not record them),
 * and evaluates each change once its settling period is over (`evaluateConfigChanges`, which may roll
 * it back). Every step is idempotent and claims rows with SKIP LOCKED, so every instance runs one.
 */
export class ConfigChangeWatcher {
  private readonly opts: ConfigWatcherOptions;
  private readonly ctx: Context;
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private lastCatchUp = 0;

  constructor(ctx: Context, options: Partial<ConfigWatcherOptions> = {}) {
    this.opts = { ...defaultConfigWatcherOptions, ...options };
    this.ctx = { ...ctx, actor: { kind: "system", name: "config-watcher" } };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = commandBus.on("finished", (event) => {
      if (event.commandType.toUpperCase() === "UPDATE_CONFIG" && event.status === "succeeded") {
        void this.recordApplied(event.commandId);
      }
    });
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep: the catch-up when it is due, then the evaluations that are due. */
  async tick(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCatchUp >= this.opts.catchUpMs) {
      this.lastCatchUp = now;
      await recordMissedConfigChanges(this.ctx, {
        settleMs: this.opts.settleMs,
        lookbackMs: this.opts.catchUpLookbackMs,
      });
    }
    await evaluateConfigChanges(this.ctx, {
      healthWaitMs: this.opts.healthWaitMs,
      commandTtlMs: this.opts.commandTtlMs,
      thresholds: this.opts.thresholds,
    });
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.report("Config change sweep failed", error))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.opts.pollIntervalMs);
        });
    }, ms);
    this.timer.unref?.();
  }

  private async recordApplied(commandId: string): Promise<void> {
    try {
      const state = (await readCommandStates(this.ctx.db, [commandId])).get(commandId);
      if (state) await recordConfigApplied(this.ctx, state, { settleMs: this.opts.settleMs });
    } catch (error) {
      await this.report("Could not record applied config", error, { command_id: commandId });
    }
  }

  private async report(what: string, error: unknown, context?: Record<string, unknown>): Promise<void> {
    this.ctx.logger.error({ err: error, ...context }, what);
    await logError(this.ctx, {
      category: "device",
      severity: "error",
      errorCode: ErrorCodes.commandFailed,
      message: `${what}: ${error instanceof Error ? error.message : String(error)}`,
      error,
      ...(context ? { context } : {}),
    }).catch(() => {});
  }
}
