import type { FastifyInstance } from "fastify";

/** A long-running task of the server process (simulator, gap detector, orchestrator…). */
export interface BackgroundTask {
  name: string;
  start(app: FastifyInstance): Promise<void> | void;
  /** Stops and flushes; called before the HTTP server and the database close. */
  stop(): Promise<void> | void;
}

/** The tasks main.ts starts after listening, in order (and stops in reverse). */
export function backgroundTasks(_app: FastifyInstance): BackgroundTask[] {
  return [];
}
