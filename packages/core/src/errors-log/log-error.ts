import { errorLogs, recordsetInsert, rowsOf } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { redactSecretString, redactSecrets, stripSecretParams } from "../redact.ts";

export type ErrorCategory =
  | "api"
  | "database"
  | "external_service"
  | "validation"
  | "auth"
  | "device"
  | "job"
  | "frontend"
  | "system";
export type ErrorSeverity = "critical" | "error" | "warning" | "info";

/** Standard error codes, so the same failure is always counted under one name. */
export const ErrorCodes = {
  dbConnection: "DB_CONN_001",
  dbQuery: "DB_QUERY_001",
  apiInternal: "API_INTERNAL_001",
  apiValidation: "API_VALIDATION_001",
  authFailed: "AUTH_FAIL_001",
  deviceAuthFailed: "DEVICE_AUTH_001",
  deviceOffline: "DEVICE_OFFLINE_001",
  deviceUnhealthy: "DEVICE_HEALTH_001",
  commandFailed: "COMMAND_FAIL_001",
  jobFailed: "JOB_FAIL_001",
  jobEmergencyStop: "JOB_STOP_001",
  configRollback: "CONFIG_ROLLBACK_001",
  pushFailed: "PUSH_FAIL_001",
  frontend: "FRONTEND_001",
  system: "SYSTEM_001",
} as const;

export interface ErrorEntry {
  category: ErrorCategory;
  severity: ErrorSeverity;
  errorCode: string;
  message: string;
  error?: unknown;
  endpoint?: string | null;
  userId?: string | null;
  deviceId?: string | null;
  context?: Record<string, unknown>;
  /** Stack trace supplied by the caller (e.g. a browser error); otherwise taken from `error`. */
  stackTrace?: string | null;
}

interface ErrorRecord extends Record<string, unknown> {
  timestamp: Date;
  category: string;
  severity: string;
  error_code: string;
  error_message: string;
  stack_trace: string | null;
  endpoint: string | null;
  user_id: string | null;
  device_id: string | null;
  context: unknown;
}
const errorRecords = recordsetInsert<ErrorRecord>(errorLogs, [
  "timestamp",
  "category",
  "severity",
  "error_code",
  "error_message",
  "stack_trace",
  "endpoint",
  "user_id",
  "device_id",
  "context",
]);

function errorRecord(at: Date, entry: ErrorEntry): ErrorRecord {
  const err = entry.error instanceof Error ? entry.error : undefined;
  const stack = entry.stackTrace ?? err?.stack ?? null;
  const context: Record<string, unknown> = { ...(entry.context ?? {}) };
  if (err) context.exception_type = err.name;
  return {
    timestamp: at,
    category: entry.category,
    severity: entry.severity,
    error_code: entry.errorCode.slice(0, 50),
    error_message: redactSecretString(entry.message).slice(0, 10_000),
    stack_trace: stack ? redactSecretString(stack).slice(0, 20_000) : null,
    endpoint: entry.endpoint ? stripSecretParams(entry.endpoint).slice(0, 255) : null,
    user_id: entry.userId ?? null,
    device_id: entry.deviceId ?? null,
    context: redactSecrets(context),
  };
}

/**
 * The central error logger: every exception handler and the global handler call it.
 * It never throws: a failure to record an error is logged and swallowed.
 * Returns the new row's id, or undefined when it could not be stored.
 */
export async function logError(ctx: Context, entry: ErrorEntry): Promise<number | undefined> {
  return (await logErrors(ctx, [entry]))[0];
}

/** logError for many entries in one statement (a batch of health reports); ids in the entries' order. */
export async function logErrors(ctx: Context, entries: readonly ErrorEntry[]): Promise<(number | undefined)[]> {
  if (entries.length === 0) return [];
  const at = ctx.clock.now();
  try {
    const result = await ctx.db.execute(
      errorRecords.insert(
        entries.map((e) => errorRecord(at, e)),
        sql`returning id`,
      ),
    );
    for (const entry of entries)
      ctx.signals?.emit({ kind: "error_log", category: entry.category, deviceId: entry.deviceId ?? null, at });
    // RETURNING follows the json array's order (one function scan, no sort).
    return rowsOf<{ id: number | string }>(result).map((r) => Number(r.id));
  } catch (storeError) {
    const original = entries.map((e) => e.message).join(" | ");
    ctx.logger.error({ err: storeError, original }, "could not record error in error_logs");
    return entries.map(() => undefined);
  }
}
