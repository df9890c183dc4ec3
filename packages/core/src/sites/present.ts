import type { SiteRow } from "./site.repository.ts";

/** The site as the API shows it. */
export function presentSite(s: SiteRow, deviceCount?: number, osMix?: Record<string, number>) {
  return {
    id: s.id,
    site_id: s.siteId,
    name: s.name,
    description: s.description,
    location: s.location,
    timezone: s.timezone,
    is_active: s.isActive,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
    tenant_id: s.tenantId,
    lifecycle_state: s.lifecycleState,
    archived_at: s.archivedAt?.toISOString() ?? null,
    ...(deviceCount === undefined ? {} : { device_count: deviceCount }),
    bootstrap_key_prefix: s.bootstrapKeyPrefix,
    bootstrap_key_created_at: s.bootstrapKeyCreatedAt?.toISOString() ?? null,
    bootstrap_key_expires_at: s.bootstrapKeyExpiresAt?.toISOString() ?? null,
    bootstrap_key_max_uses: s.bootstrapKeyMaxUses,
    bootstrap_key_uses: s.bootstrapKeyUses,
    require_device_approval: s.requireDeviceApproval,
    ...(osMix === undefined ? {} : { os_mix: osMix }),
  };
}
