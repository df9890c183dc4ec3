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
