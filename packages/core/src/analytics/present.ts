import type { errorLogs } from "@homepot/db";

type ErrorLogRow = typeof errorLogs.$inferSelect;

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** A client-supplied event time, never in the future (a skewed browser clock must not poison freshness). */
export function clampTimestamp(client: Date | undefined, now: Date): Date {
  if (!client || client.getTime() > now.getTime()) return now;
  return client;
}

export function presentErrorLog(r: ErrorLogRow) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    category: r.category,
    severity: r.severity,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    stack_trace: r.stackTrace,
    endpoint: r.endpoint,
    user_id: r.userId,
    device_id: r.deviceId,
    context: r.context,
    resolved: r.resolved,
    resolved_at: iso(r.resolvedAt),
    resolved_by: r.resolvedBy,
  };
}
