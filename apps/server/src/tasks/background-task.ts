import { type Context, systemContext } from "@homepot/core";
import type { FastifyInstance } from "fastify";

/** A long-running task of the server process (simulator, gap detector, orchestrator…). */
export interface BackgroundTask {
  name: string;
  start(app: FastifyInstance): Promise<void> | void;
  /** Stops and flushes; called before the HTTP server and the database close. */
  stop(): Promise<void> | void;
}

/** The context a task acts in: the app's database and clock, the task's name as actor and in logs. */
export function taskContext(app: FastifyInstance, name: string): Context {
  return systemContext(app.deps.database.db, name, {
    clock: app.deps.clock,
    logger: app.log.child({ task: name }),
    signals: app.alerts,
  });
}

/** A core service a task runs: started once, stopped (and flushed) on shutdown. */
export interface Service {
  start(): void;
  stop(): Promise<void>;
}

/** A background task that runs one core service, built in the task's context from the app's config. */
export class ServiceTask implements BackgroundTask {
  private service: Service | undefined;

  constructor(
    readonly name: string,
    private readonly build: (ctx: Context, config: FastifyInstance["deps"]["config"]) => Service,
  ) {}

  start(app: FastifyInstance): void {
    this.service = this.build(taskContext(app, this.name), app.deps.config);
    this.service.start();
  }

  async stop(): Promise<void> {
    await this.service?.stop();
    this.service = undefined;
  }
}
