import type { DeviceRow } from "./device.repository.ts";

/** The device as the API shows it: never the key hash. */
export function presentDevice(d: DeviceRow, siteName?: string | null) {
  return {
    id: d.id,
    device_id: d.deviceId,
    name: d.name,
    device_type: d.deviceType,
    status: d.status,
    site_id: d.siteId,
    ip_address: d.ipAddress,
    config: d.config ?? null,
    is_active: d.isActive,
    last_seen: d.lastSeen?.toISOString() ?? null,
    segment: d.segment,
    is_simulated: d.isSimulated,
    config_version: d.configVersion,
    firmware_version: d.firmwareVersion,
    api_key_prefix: d.apiKeyPrefix,
    api_key_created_at: d.apiKeyCreatedAt?.toISOString() ?? null,
    tags: d.tags,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
    ...(siteName === undefined ? {} : { site_name: siteName }),
  };
}
