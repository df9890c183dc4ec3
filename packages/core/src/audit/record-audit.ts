import { auditLogs, type Db } from "@homepot/db";
import type { Context } from "../context.ts";
import { redactSecretString, redactSecrets } from "../redact.ts";

export interface AuditEvent {
  eventType: string;
  description: string;
  userId?: number | null;
  jobId?: number | null;
  deviceId?: number | null;
  siteId?: number | null;
  oldValues?: unknown;
  newValues?: unknown;
  metadata?: unknown;
}

/** Writes one audit_logs row; the actor's user id, ip and user agent come from the context. */
export async function recordAudit(ctx: Context, event: AuditEvent, db: Db = ctx.db): Promise<void> {
  const actor = ctx.actor;
  const ip = actor.ip;
  const userAgent = actor.userAgent;
  const metadata =
    actor.kind === "device" ? { actor_device_id: actor.deviceId, ...(asObject(event.metadata) ?? {}) } : event.metadata;
  await db.insert(auditLogs).values({
    createdAt: ctx.clock.now(),
    eventType: event.eventType,
    description: redactSecretString(event.description),
    userId: event.userId ?? (actor.kind === "user" ? actor.userId : null),
    jobId: event.jobId ?? null,
    deviceId: event.deviceId ?? null,
    siteId: event.siteId ?? null,
    oldValues: event.oldValues === undefined ? null : redactSecrets(event.oldValues),
    newValues: event.newValues === undefined ? null : redactSecrets(event.newValues),
    eventMetadata: metadata === undefined ? null : redactSecrets(metadata),
    ipAddress: ip?.slice(0, 45) ?? null,
    userAgent: userAgent?.slice(0, 500) ?? null,
  });
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
