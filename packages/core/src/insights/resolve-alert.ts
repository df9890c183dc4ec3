import { recordAudit } from "../audit/record-audit.ts";
import { actorLabel, type Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { type AlertRow, findAlert, markAlertResolved } from "./insights.repository.ts";

/** Marks an alert resolved by the acting user (idempotent: an already resolved alert is returned as it is). */
export async function resolveAlert(ctx: Context, id: number): Promise<{ alert: AlertRow; alreadyResolved: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const alert = await findAlert(tx, id);
    if (!alert) throw new NotFoundError(`Alert ${id} not found`);
    if (alert.resolved) return { alert, alreadyResolved: true };
    const row = await markAlertResolved(tx, id, ctx.clock.now(), actorLabel(ctx.actor));
    await recordAudit(
      ctx,
      {
        eventType: "alert_resolved",
        description: `Alert ${id} (${alert.kind}) resolved`,
        oldValues: { resolved: false },
        newValues: { resolved: true },
        metadata: { alert_id: id, kind: alert.kind, device_id: alert.deviceId, site_id: alert.siteId },
      },
      tx,
    );
    return { alert: row, alreadyResolved: false };
  });
}

export function presentAlert(a: AlertRow) {
  return {
    id: a.id,
    kind: a.kind,
    severity: a.severity,
    device_id: a.deviceId,
    site_id: a.siteId,
    title: a.title,
    details: a.details ?? null,
    score: a.score,
    occurrences: a.occurrences,
    resolved: a.resolved,
    resolved_at: a.resolvedAt?.toISOString() ?? null,
    resolved_by: a.resolvedBy,
    created_at: a.createdAt.toISOString(),
    last_seen_at: a.lastSeenAt.toISOString(),
  };
}
