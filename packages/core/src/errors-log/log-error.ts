import { errorLogs } from "@homepot/db";
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

/**
 * The central error logger: every exception handler and the global handler call it.
 * It never throws: a failure to record an error is logged and swallowed.
 * Returns the new row's id, or undefined when it could not be stored.
 */
export async function logError(ctx: Context, entry: ErrorEntry): Promise<number | undefined> {
  const err = entry.error instanceof Error ? entry.error : undefined;
  const stack = entry.stackTrace ?? err?.stack ?? null;
  const context: Record<string, unknown> = { ...(entry.context ?? {}) };
  if (err) context.exception_type = err.name;
  try {
    const [row] = await ctx.db
      .insert(errorLogs)
      .values({
        timestamp: ctx.clock.now(),
        category: entry.category,
        severity: entry.severity,
        errorCode: entry.errorCode.slice(0, 50),
        errorMessage: redactSecretString(entry.message).slice(0, 10_000),
        stackTrace: stack ? redactSecretString(stack).slice(0, 20_000) : null,
        endpoint: entry.endpoint ? stripSecretParams(entry.endpoint).slice(0, 255) : null,
        userId: entry.userId ?? null,
        deviceId: entry.deviceId ?? null,
        context: redactSecrets(context),
      })
      .returning({ id: errorLogs.id });
    ctx.signals?.emit({
      kind: "error_log",
      category: entry.category,
      deviceId: entry.deviceId ?? null,
      at: ctx.clock.now(),
    });
    return row?.id;
  } catch (storeError) {
    ctx.logger.error({ err: storeError, original: entry.message }, "could not record error in error_logs");
    return undefined;
  }
}
