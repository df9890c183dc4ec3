import type { ChannelRow, DeliveryRow } from "./channel.repository.ts";
import type { SecretVault } from "./vault.ts";

/** A channel without its secrets: only the names of those that are set. */
export function presentChannel(ch: ChannelRow, vault: SecretVault, dead = 0) {
  let secretsSet: string[] = [];
  try {
    secretsSet = ch.secret ? Object.keys(vault.open(ch.secret)) : [];
  } catch {
    secretsSet = ["(unreadable: sealed under another key)"];
  }
  return {
    id: ch.id,
    name: ch.name,
    tenant_id: ch.tenantId,
    type: ch.type,
    enabled: ch.enabled,
    settings: ch.settings as Record<string, unknown>,
    secrets_set: secretsSet,
    min_severity: ch.minSeverity,
    site_ids: ch.siteIds,
    quiet_hours: ch.quietStart && ch.quietEnd ? { start: ch.quietStart, end: ch.quietEnd } : null,
    timezone: ch.timezone,
    digest_minutes: ch.digestMinutes,
    escalate_after_minutes: ch.escalateAfterMinutes,
    max_attempts: ch.maxAttempts,
    dead_deliveries: dead,
    created_at: ch.createdAt.toISOString(),
    updated_at: ch.updatedAt.toISOString(),
  };
}

export function presentDelivery(d: DeliveryRow) {
  return {
    id: d.id,
    channel_id: d.channelId,
    alert_id: d.alertId,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt.toISOString(),
    last_error: d.lastError,
    created_at: d.createdAt.toISOString(),
    sent_at: d.sentAt?.toISOString() ?? null,
  };
}
