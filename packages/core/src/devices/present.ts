import type { DeviceRow } from "./device.repository.ts";

/** A device is online when it heartbeated within this window (the original HOMEPOT's 2 minutes). */
export const HEARTBEAT_ONLINE_S = 120;

export type Connectivity = "online" | "offline" | "unknown";

/** Connectivity from the last heartbeat: unknown when the device never reported. */
export function connectivityOf(lastSeen: Date | null, now: Date): Connectivity {
  if (!lastSeen) return "unknown";
  return now.getTime() - lastSeen.getTime() <= HEARTBEAT_ONLINE_S * 1000 ? "online" : "offline";
}

/** The device as the API shows it: never the key hash. */
export function presentDevice(d: DeviceRow, siteName?: string | null, now: Date = new Date()) {
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
    software_version: d.softwareVersion,
    api_key_prefix: d.apiKeyPrefix,
    api_key_created_at: d.apiKeyCreatedAt?.toISOString() ?? null,
    tags: d.tags,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
    lifecycle_state: d.lifecycleState,
    connectivity_state: connectivityOf(d.lastSeen, now),
    health_state: d.healthState,
    source: d.isSimulated ? ("simulated" as const) : ("real" as const),
    last_heartbeat_at: d.lastSeen?.toISOString() ?? null,
    ...(siteName === undefined ? {} : { site_name: siteName }),
    enrolment_method: d.enrolmentMethod,
    machine_id: d.machineId,
    ...presentDna(d),
  };
}

/** The device's DNA (what it reported about itself). */
export function presentDna(d: DeviceRow) {
  return {
    mac_address: d.macAddress,
    local_ip: d.localIp,
    wan_ip: d.wanIp,
    os_family: d.osFamily,
    os_version: d.osVersion,
    os_details: d.osDetails,
    hardware_vendor: d.hardwareVendor,
    hardware_model: d.hardwareModel,
    agent_version: d.agentVersion,
    hardware: (d.hardware as Record<string, unknown> | null) ?? null,
    peripherals: d.peripherals ?? null,
    dna_updated_at: d.dnaUpdatedAt?.toISOString() ?? null,
  };
}
