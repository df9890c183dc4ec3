import type { AlertRow, RuleRow } from "./alert.repository.ts";
import { FLAPPING_AT } from "./raise-alert.ts";

export function presentAlert(a: AlertRow & { ruleName?: string | null }) {
  return {
    id: a.id,
    kind: a.kind,
    source: a.source,
    status: a.status,
    severity: a.severity,
    rule_id: a.ruleId,
    ...(a.ruleName === undefined ? {} : { rule_name: a.ruleName }),
    device_id: a.deviceId,
    site_id: a.siteId,
    title: a.title,
    message: a.message,
    details: a.details ?? null,
    score: a.score,
    occurrences: a.occurrences,
    flaps: a.flaps,
    flapping: a.flaps >= FLAPPING_AT,
    resolved: a.resolved,
    resolved_at: a.resolvedAt?.toISOString() ?? null,
    resolved_by: a.resolvedBy,
    resolution_note: a.resolutionNote,
    acknowledged_at: a.acknowledgedAt?.toISOString() ?? null,
    acknowledged_by: a.acknowledgedBy,
    created_at: a.createdAt.toISOString(),
    last_seen_at: a.lastSeenAt.toISOString(),
  };
}

export function presentRule(r: RuleRow, openAlerts = 0) {
  return {
    id: r.id,
    name: r.name,
    tenant_id: r.tenantId,
    description: r.description,
    enabled: r.enabled,
    builtin: r.builtinKey !== null,
    condition: r.params as Record<string, unknown>,
    scope: r.scope as Record<string, unknown>,
    severity: r.severity,
    message_template: r.messageTemplate,
    open_alerts: openAlerts,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
