/**
 * What the write paths tell the alert evaluator as data arrives (after or inside their transaction):
 * a status change, telemetry, a finished job, an expired command, an error log. The server's alert
 * engine receives them through `ctx.signals`; a context without one (CLI, scripts) emits nowhere.
 */
export type Signal =
  | { kind: "status"; deviceId: string; status: string; at: Date; reason?: string }
  | { kind: "metrics"; deviceId: string; at: Date; values: Readonly<Record<string, unknown>> }
  | { kind: "seen"; deviceId: string; at: Date }
  | {
      kind: "job";
      jobId: string;
      siteId: string | null;
      /** Set for a rollback of one device's config. */
      deviceId?: string;
      /** config_update, restart… (a later success of the same type at the same site clears the failure). */
      jobType?: string;
      status: string;
      at: Date;
      message?: string;
    }
  | { kind: "command_expired"; deviceId: string; commandId: string; commandType: string; at: Date }
  /** A command succeeded: an expired command of that type on that device is no longer a problem. */
  | { kind: "command_succeeded"; deviceId: string; commandType: string; at: Date }
  | { kind: "error_log"; category: string; deviceId: string | null; at: Date }
  /** An alert was resolved (by hand or by the system): its condition may raise it again. */
  | { kind: "alert_closed"; fingerprint: string }
  /** Rules, channels or devices changed: the evaluator reloads what it caches. */
  | { kind: "reload"; what: "rules" | "devices" | "channels" };

export interface SignalSink {
  emit(signal: Signal): void;
}
