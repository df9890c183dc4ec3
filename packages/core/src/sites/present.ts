import type { SiteRow } from "./site.repository.ts";

/** The site as the API shows it. */
export function presentSite(s: SiteRow, deviceCount?: number) {
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
    ...(deviceCount === undefined ? {} : { device_count: deviceCount }),
  };
}
