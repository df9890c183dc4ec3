import { type ChildProcess, fork } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import {
  BadRequestError,
  type Context,
  ForbiddenError,
  NotFoundError,
  systemClock,
  UnavailableError,
  ValidationError,
} from "@homepot/core";
import type { InsightInput, InsightOp, InsightReply, InsightRequest, InsightResult } from "./ops.ts";
import { runInsight } from "./ops.ts";

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
/** The helper's niceness: when the machine is busy it gets about a tenth of what the server's requests get. */
const NICE = 10;
const START_TIMEOUT_MS = 60_000;

export interface InsightsRunnerOptions {
  /** The server's PostgreSQL database; without one (PGlite, in this process) everything runs here. */
  databaseUrl?: string | undefined;
  readUrl?: string | undefined;
  /** HOMEPOT_INSIGHTS_PROCESS. */
  enabled: boolean;
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/**
 * Runs the whole-fleet insights (at-risk devices, health forecast, anomalies) in a helper process at a lower CPU
 * priority, on PostgreSQL: scoring a fleet of 100 000 devices takes seconds of CPU, and in the server's own thread
 * every request made meanwhile (a page's counts, a device's report) waited behind it. The operating system now
 * serves the requests first and gives the scoring what is left. The helper starts with the first computation and
 * again after it stopped; a computation it was running when it stopped fails (503), the next one starts it afresh.
 * On the embedded database (one process owns it) or with HOMEPOT_INSIGHTS_PROCESS=off they run in this process.
 */
export class InsightsRunner {
  private child: Promise<ChildProcess> | undefined;
  private running: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: InsightsRunnerOptions) {}

  /** True when computations run in the helper process. */
  get external(): boolean {
    return this.options.enabled && this.options.databaseUrl !== undefined;
  }

  /** The helper's process id while it runs. */
  get helperPid(): number | undefined {
    return this.running?.pid;
  }

  /** `op` with `input`, as `ctx`'s actor, reading where `ctx` reads (the replica when it is the one in use). */
  async run<K extends InsightOp>(op: K, ctx: Context, input: InsightInput<K>): Promise<InsightResult<K>> {
    if (!this.external) return (await runInsight(op, ctx, input)) as InsightResult<K>;
    if (this.closed) throw new UnavailableError("The server is shutting down");
    const child = await this.start();
    const id = this.nextId++;
    const request: InsightRequest = {
      id,
      op,
      input,
      actor: ctx.actor,
      permission: ctx.permission,
      replica: ctx.reads !== undefined && ctx.reads !== ctx.db,
      ...(ctx.clock === systemClock ? {} : { now: ctx.clock.now() }),
    };
    return new Promise<InsightResult<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as InsightResult<K>), reject });
      child.send(request, (error) => {
        if (!error) return;
        this.pending.delete(id);
        reject(new UnavailableError("The insights helper process is not reachable"));
      });
    });
  }

  /** Stops the helper (when the server closes). */
  async close(): Promise<void> {
    this.closed = true;
    const child = await this.child?.catch(() => undefined);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.disconnect();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private start(): Promise<ChildProcess> {
    this.child ??= this.spawn();
    return this.child;
  }

  private spawn(): Promise<ChildProcess> {
    const child = fork(CHILD, [], {
      cwd: REPO_ROOT,
      execArgv: ["--import", "tsx"],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: {
        ...process.env,
        HOMEPOT_INSIGHTS_DB_URL: this.options.databaseUrl,
        ...(this.options.readUrl ? { HOMEPOT_INSIGHTS_READ_URL: this.options.readUrl } : {}),
      },
    });
    try {
      if (child.pid) setPriority(child.pid, NICE);
    } catch {
      // Not allowed here: it runs at the server's priority, still off the server's thread.
    }
    const ready = new Promise<ChildProcess>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new UnavailableError("The insights helper process did not start"));
      }, START_TIMEOUT_MS);
      child.on("message", (message: InsightReply) => {
        if (message.id === 0) {
          clearTimeout(timer);
          this.running = child;
          resolve(child);
        } else this.settle(message);
      });
      child.once("exit", () => {
        clearTimeout(timer);
        reject(new UnavailableError("The insights helper process stopped"));
        this.stopped(child);
      });
    });
    ready.catch(() => {});
    return ready;
  }

  private settle(reply: InsightReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(revive(reply.error));
  }

  /** The helper exited: what it was computing fails, and the next computation starts a new one. */
  private stopped(child: ChildProcess): void {
    this.child = undefined;
    this.running = undefined;
    child.removeAllListeners("message");
    for (const p of this.pending.values()) p.reject(new UnavailableError("The insights helper process stopped"));
    this.pending.clear();
  }
}

/** The helper's error as the class the server maps to HTTP (anything else stays a plain, internal error). */
function revive(error: { name: string; message: string; field?: string }): Error {
  switch (error.name) {
    case "NotFoundError":
      return new NotFoundError(error.message);
    case "ValidationError":
      return new ValidationError(error.message, error.field);
    case "BadRequestError":
      return new BadRequestError(error.message, error.field);
    case "ForbiddenError":
      return new ForbiddenError(error.message);
    default:
      return new Error(`insights helper: ${error.name}: ${error.message}`);
  }
}
