import type { Logger } from "../context.ts";
import type { CommandType, FinalCommandStatus } from "./command-types.ts";

export interface CommandQueuedEvent {
  commandId: string;
  deviceId: string;
  commandType: CommandType;
  jobId: string | null;
}

export interface CommandFinishedEvent {
  commandId: string;
  deviceId: string;
  commandType: CommandType;
  /** succeeded | failed | expired | cancelled */
  status: FinalCommandStatus;
  result: unknown;
  jobId: string | null;
}

export interface CommandEvents {
  queued: CommandQueuedEvent;
  finished: CommandFinishedEvent;
}

type Listener<E extends keyof CommandEvents> = (event: CommandEvents[E]) => void | Promise<void>;

/**
 * In-process, typed events of the command queue, emitted after the transaction commits.
 * Listeners (MQTT push, simulator, orchestrator) run detached: a slow or failing listener never
 * delays or breaks the use case that emitted. Other server instances learn of changes by polling
 * the table, not from this bus.
 */
export class CommandBus {
  private readonly listeners: { [E in keyof CommandEvents]: Set<Listener<E>> } = {
    queued: new Set(),
    finished: new Set(),
  };

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends keyof CommandEvents>(event: E, listener: Listener<E>): () => void {
    this.listeners[event].add(listener);
    return () => this.off(event, listener);
  }

  off<E extends keyof CommandEvents>(event: E, listener: Listener<E>): void {
    this.listeners[event].delete(listener);
  }

  emit<E extends keyof CommandEvents>(event: E, payload: CommandEvents[E], logger?: Logger): void {
    for (const listener of [...this.listeners[event]]) {
      try {
        const pending = listener(payload);
        if (pending && typeof pending.then === "function") {
          pending.then(undefined, (err: unknown) =>
            logger?.error({ err, event, commandId: payload.commandId }, "command bus listener failed"),
          );
        }
      } catch (err) {
        logger?.error({ err, event, commandId: payload.commandId }, "command bus listener failed");
      }
    }
  }

  listenerCount(event: keyof CommandEvents): number {
    return this.listeners[event].size;
  }
}

/** The process-wide bus every use case emits on. */
export const commandBus = new CommandBus();
