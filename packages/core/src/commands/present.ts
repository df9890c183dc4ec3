import type { CommandRow } from "./command.repository.ts";
import type { CommandType } from "./command-types.ts";

/** Where a command stands, finer than its status: an open command is queued, sent, acknowledged or executed. */
export function lifecycleOf(row: CommandRow) {
  if (row.status === "pending") return "queued" as const;
  if (row.status === "sent")
    return row.executedAt ? ("executed" as const) : row.ackedAt ? ("acknowledged" as const) : ("sent" as const);
  if (row.status === "succeeded") return "completed" as const;
  return row.status as "failed" | "expired" | "cancelled";
}

/** The API shape of a command (snake_case, ISO timestamps, lifecycle). */
export function presentCommand(row: CommandRow & { createdByUsername?: string | null }) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    command_id: row.commandId,
    device_id: row.deviceId,
    command_type: row.commandType as CommandType,
    payload: row.payload ?? null,
    status: row.status as CommandRow["status"],
    lifecycle: lifecycleOf(row),
    job_id: row.jobId,
    created_by: row.createdBy,
    created_by_username: row.createdByUsername ?? null,
    created_at: row.createdAt.toISOString(),
    sent_at: iso(row.sentAt),
    acked_at: iso(row.ackedAt),
    executed_at: iso(row.executedAt),
    completed_at: iso(row.completedAt),
    cancelled_at: iso(row.cancelledAt),
    expires_at: iso(row.expiresAt),
    result: row.result ?? null,
    error_message: row.errorMessage,
    delivery_count: row.deliveryCount,
  };
}

export type PresentedCommand = ReturnType<typeof presentCommand>;

/** The compatibility wire shape of `GET /devices/pending` (lowercase command type). */
export function presentPendingCommand(row: CommandRow) {
  return {
    command_id: row.commandId,
    command_type: row.commandType.toLowerCase(),
    payload: row.payload ?? {},
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt ? row.expiresAt.toISOString() : null,
  };
}

/** A row of the fleet-wide history: the command and its device's site. */
export function presentCommandHistory(row: CommandRow & { createdByUsername: string | null; siteId: string | null }) {
  return { ...presentCommand(row), site_id: row.siteId };
}
