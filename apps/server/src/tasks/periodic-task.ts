import { type Context, ErrorCodes, logError } from "@homepot/core";
import type { FastifyInstance } from "fastify";
import { type BackgroundTask, taskContext } from "./background-task.ts";

/**
 * A task that runs one sweep every interval: never two at once (a slow sweep makes the next tick a
 * no-op), a failure goes to error_logs and the next tick tries again, and `stop()` waits for the sweep
 * in progress. Subclasses say what one sweep does (with the app they were started in); tests call `runOnce()`
 * directly.
 */
export abstract class PeriodicTask implements BackgroundTask {
  abstract readonly name: string;
  protected ctx: Context | undefined;
  private app: FastifyInstance | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  /** `runAtStart`: sweep once right away instead of waiting for the first interval. */
  constructor(
    protected intervalMs: number,
    private readonly runAtStart = false,
  ) {}

  /** One sweep, in the task's context, with the app the task was started in. */
  protected abstract sweep(ctx: Context, app: FastifyInstance): Promise<void>;

  /** Reads what the task needs from the app before the first sweep (config). */
  protected configure(_app: FastifyInstance): void {}

  start(app: FastifyInstance): void {
    this.ctx = taskContext(app, this.name);
    this.app = app;
    this.configure(app);
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
    if (this.runAtStart) void this.runOnce();
  }

  /** One sweep now, unless one is running (then that one's promise). */
  runOnce(): Promise<void> {
    const { ctx, app } = this;
    if (!ctx || !app || this.running) return this.running ?? Promise.resolve();
    this.running = this.sweep(ctx, app)
      .catch((error: unknown) =>
        logError(ctx, {
          category: "system",
          severity: "error",
          errorCode: ErrorCodes.system,
          message: `${this.name} failed: ${(error as Error).message}`,
          error,
        }).then(() => {}),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
