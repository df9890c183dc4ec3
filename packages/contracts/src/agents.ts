/** What devices report about themselves (device DNA) and the original HOMEPOT's agent views. */
import { z } from "zod";
import {
  boundedJson,
  boundedJsonObject,
  listResult,
  Pagination,
  statusResult,
  Timestamp,
  withTotal,
} from "./common.ts";
import { ConnectivityState, DeviceDnaFields, DeviceId, IpAddress, LifecycleState, MacAddress } from "./devices.ts";
import { SiteId } from "./sites.ts";

const Text = (max: number) => z.string().trim().max(max);
/** `POST /agent/device-dna` (device key): the original's AgentRegisterRequest fields, plus ours. */
export const DeviceDnaBody = z.object({
  /** When sent, must be the device of X-Device-ID. */
  device_id: DeviceId.optional(),
  mac_address: MacAddress.nullish(),
  local_ip: IpAddress.nullish(),
  wan_ip: IpAddress.nullish(),
  os_details: Text(200).nullish().describe("e.g. Ubuntu 22.04.3 LTS"),
  os_family: Text(20)
    .nullish()
    .describe("linux | windows | macos | android | ios; derived from os_details when absent"),
  os_version: Text(100).nullish(),
  firmware_version: Text(50).nullish(),
  agent_version: Text(50).nullish(),
  machine_id: Text(200).nullish().describe("Stable hardware identity (machine-id based)"),
  hardware: boundedJsonObject({ maxBytes: 16 * 1024 })
    .nullish()
    .describe("vendor/manufacturer, model, cpu, memory_mb, serial…"),
  peripherals: boundedJson({ maxBytes: 32 * 1024 })
    .optional()
    .describe("Printers and other attached devices found on the host"),
  // The original's fields for creating a device on first report; a device with a key already exists.
  site_id: Text(50).nullish(),
  device_name: Text(100).nullish(),
  device_type: Text(50).nullish(),
  device_source: Text(20).nullish(),
  device_token: Text(500).nullish(),
});

export const DeviceDnaResult = statusResult({
  data: DeviceDnaFields.pick({
    mac_address: true,
    os_details: true,
    os_family: true,
    local_ip: true,
    wan_ip: true,
    peripherals: true,
  }).extend({
    device_id: z.string(),
    site_id: z.string(),
    lifecycle_state: LifecycleState,
    created: z.literal(false),
    /** The facts that changed with this report (column names). */
    changed: z.array(z.string()),
  }),
});

/** One device's agent as the original's `/agents` shows it. */
export const AgentSchema = z.object({
  device_id: z.string(),
  site_id: z.string(),
  name: z.string(),
  lifecycle_state: LifecycleState,
  connectivity_state: z.enum(["online", "offline", "unknown"]),
  health_state: z.string(),
  status: z.string(),
  config_version: z.string(),
  agent_version: z.string().nullable(),
  last_seen: Timestamp.nullable(),
  last_health_check: z.record(z.string(), z.unknown()).nullable(),
  uptime: z.enum(["running", "stopped"]),
});
/** The original's paging, plus the device list's filters (the dashboard's Agents page). */
export const AgentsQuery = Pagination.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
  site_id: SiteId.optional(),
  lifecycle_state: LifecycleState.optional(),
  connectivity_state: ConnectivityState.optional(),
  search: z.string().trim().max(100).optional().describe("Part of the device id or name"),
});
export const AgentList = listResult("agents", AgentSchema, withTotal);
export const AgentResult = AgentSchema.extend({ success: z.literal(true) });
