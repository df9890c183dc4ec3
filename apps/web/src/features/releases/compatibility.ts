import type { Release } from "@homepot/contracts/releases";

/** "pos_terminal, kiosk · linux · from 4.0.0", or "any device". */
export function compatibilityText(r: Pick<Release, "compatibility">): string {
  const c = r.compatibility;
  const parts = [
    c.device_types.length ? c.device_types.join(", ") : "any device type",
    c.os_families.length ? c.os_families.join(", ") : null,
    c.min_current_version ? `from ${c.min_current_version}` : null,
  ].filter(Boolean);
  return parts.join(" · ");
}

/** The New job form, prefilled to roll this release out. */
export const rollOutLink = (r: Pick<Release, "release_id" | "release_type" | "name" | "version">) =>
  `/jobs/new?${new URLSearchParams({
    job_type: r.release_type === "firmware" ? "firmware_update" : "software_update",
    release_id: r.release_id,
    action: `Install ${r.name} ${r.version}`,
  })}`;
