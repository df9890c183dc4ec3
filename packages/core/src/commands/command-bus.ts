import { EventBus } from "../event-bus.ts";
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

/** The command queue's events (MQTT push, simulator and orchestrator listen). */
export class CommandBus extends EventBus<CommandEvents> {}

/** The process-wide bus every use case emits on. */
export const commandBus = new CommandBus();
