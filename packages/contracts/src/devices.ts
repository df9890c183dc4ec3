import { z } from "zod";
import {
  boundedJsonObject,
  commaList,
  dataResult,
  listResult,
  messageResult,
  Pagination,
  QueryBool,
  Slug,
  Timestamp,
  timestamps,
  withTotal,
  writeResult,
} from "./common.ts";
import { EnrolmentReleaseKey } from "./releases.ts";
import { SiteId } from "./sites.ts";

export const DeviceId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "letters, digits, . _ : - only");

export const DeviceStatus = z.enum(["online", "offline", "error", "maintenance"]);
export type DeviceStatusValue = z.infer<typeof DeviceStatus>;
/** Three separate facts about a device; `status` stays in answers for older clients. */
export const LifecycleState = z.enum(["pending", "active", "suspended", "unpaired"]);
export type LifecycleStateValue = z.infer<typeof LifecycleState>;
export const ConnectivityState = z.enum(["online", "offline", "unknown"]);
export const HealthState = z.enum(["healthy", "warning", "error", "maintenance"]);
export const DeviceSource = z.enum(["real", "simulated"]);

export const DeviceType = Slug(50);
const Segment = Slug(100);
export const IpAddress = z.union([z.ipv4(), z.ipv6()], { error: "must be an IPv4 or IPv6 address" });
const ConfigObject = boundedJsonObject({ maxBytes: 256 * 1024 });
const Version = z.string().trim().min(1).max(50);

/** A free device label: stored lowercase, e.g. `floor-2`, `pilot`, `eu:north`. */
export const DeviceTag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_.:-]*$/, "letters, digits, _ . : - only (starting with a letter or digit)");
export const MAX_DEVICE_TAGS = 20;
/** Every device `homepot simulate` registers carries this tag (what `homepot simulate --cleanup` removes). */
export const SIMULATE_TAG = "homepot-simulate";
/**
 * A simulated device whose run has ended: parked in maintenance, left out of insights and the Overview's
 * attention list (it is silent because its simulation stopped, not because it failed).
 */
export const SIMULATION_FINISHED_TAG = "simulation-finished";
export const DeviceTags = z.array(DeviceTag).max(MAX_DEVICE_TAGS, `at most ${MAX_DEVICE_TAGS} tags`);

export const DeviceParams = z.object({ device_id: DeviceId });
export const SiteDeviceParams = z.object({ site_id: SiteId });

export const DeviceName = z.string().trim().min(1).max(100);

export const RegisterDeviceBody = z.object({
  device_id: DeviceId.optional().describe("Omitted: the server generates one from the device type"),
  name: DeviceName.optional().describe("Unique per site (ignoring case); omitted: the device id"),
  device_type: DeviceType,
  ip_address: IpAddress.nullish(),
  config: ConfigObject.nullish(),
  segment: Segment.optional(),
  is_simulated: z.boolean().optional(),
  firmware_version: Version.nullish(),
  config_version: Version.nullish(),
  tags: DeviceTags.optional(),
});

export const MacAddress = z
  .string()
  .trim()
  .regex(/^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$/, "must be a MAC address like 00:11:22:33:44:55")
  .transform((v) => v.replaceAll("-", ":").toLowerCase());

/** The original's `POST /devices/device`: the site in the body, and a few facts it knew before device DNA. */
export const CreateDeviceCompatBody = RegisterDeviceBody.extend({
  site_id: SiteId,
  mac_address: MacAddress.nullish(),
  os_details: z.string().trim().max(200).nullish(),
  enrollment_method: z.string().trim().max(30).nullish(),
  enrollment_token: z.string().max(500).nullish().describe("Accepted and ignored (use enrolment intents)"),
});
export const UpdateDeviceBody = z
  .object({
    name: DeviceName,
    device_type: DeviceType,
    ip_address: IpAddress.nullable(),
    config: ConfigObject.nullable(),
    segment: Segment,
    status: DeviceStatus,
    site_id: SiteId,
    firmware_version: Version.nullable(),
    config_version: Version.nullable(),
    tags: DeviceTags.describe("Replaces the device's tags"),
  })
  .partial();
/** The original's `PUT /devices/device/{device_id}` (it also took a MAC address). */
export const UpdateDeviceCompatBody = UpdateDeviceBody.extend({ mac_address: MacAddress.nullish() });

/** What a device reports about itself (`POST /agent/device-dna`), as the device's answer shows it. */
export const DeviceDnaFields = z.object({
  mac_address: z.string().nullable(),
  local_ip: z.string().nullable(),
  wan_ip: z.string().nullable(),
  /** linux | windows | macos | android | ios | other. */
  os_family: z.string().nullable(),
  os_version: z.string().nullable(),
  os_details: z.string().nullable(),
  hardware_vendor: z.string().nullable(),
  hardware_model: z.string().nullable(),
  agent_version: z.string().nullable(),
  hardware: z.record(z.string(), z.unknown()).nullable(),
  peripherals: z.unknown().nullable(),
  dna_updated_at: Timestamp.nullable(),
});

export const DeviceSchema = z.object({
  id: z.number().int(),
  device_id: z.string(),
  name: z.string(),
  device_type: z.string(),
  status: z.string(),
  site_id: z.string(),
  ip_address: z.string().nullable(),
  config: z.unknown().nullable(),
  is_active: z.boolean(),
  last_seen: Timestamp.nullable(),
  segment: z.string(),
  is_simulated: z.boolean(),
  config_version: z.string().nullable(),
  firmware_version: z.string().nullable(),
  /** The installed software release its agent reports (e.g. the POS app's version). */
  software_version: z.string().nullable(),
  /** The first characters of the current key: enough to recognise it, useless to an attacker. */
  api_key_prefix: z.string().nullable(),
  api_key_created_at: Timestamp.nullable(),
  tags: z.array(z.string()),
  ...timestamps,
  lifecycle_state: LifecycleState,
  connectivity_state: ConnectivityState.describe("online: a heartbeat within the last 2 minutes; unknown: never"),
  health_state: HealthState,
  source: DeviceSource,
  last_heartbeat_at: Timestamp.nullable(),
  site_name: z.string().nullable().optional(),
  /** manual | claim | bootstrap. */
  enrolment_method: z.string(),
  machine_id: z.string().nullable(),
  ...DeviceDnaFields.shape,
});
export type Device = z.infer<typeof DeviceSchema>;

/** Registration answer: the device's fields with `api_key` beside them (the only time it is shown). */
export const RegisterDeviceResult = DeviceSchema.extend({
  success: z.literal(true),
  message: z.string(),
  api_key: z.string(),
  release_key: EnrolmentReleaseKey,
});

const boolFlag = QueryBool.optional();

export const ListDevicesQuery = Pagination.extend({
  site_id: SiteId.optional(),
  device_id: commaList(DeviceId, { keepCase: true, max: 1000 }).describe("Only these devices (comma-separated ids)"),
  status: DeviceStatus.optional(),
  attention: boolFlag.describe(
    "Devices needing attention: status error, offline or maintenance (a simulated device parked after its run left out)",
  ),
  device_type: DeviceType.optional(),
  segment: Segment.optional(),
  is_simulated: boolFlag,
  lifecycle_state: LifecycleState.optional(),
  health_state: z
    .enum([...HealthState.options, "unknown"])
    .optional()
    .describe("Active devices by health, as the Overview counts them; unknown: never reported"),
  include_inactive: boolFlag,
  archived: boolFlag.describe("Only archived (and deleted) devices: the Archived filter"),
  search: z.string().trim().max(100).optional(),
  software_version: Version.optional().describe("Devices reporting this installed software version"),
  firmware_version: Version.optional().describe("Devices reporting this firmware version"),
  tag: z
    .string()
    .max(400)
    .transform((v) => v.split(",").filter((t) => t.trim() !== ""))
    .pipe(z.array(DeviceTag).max(MAX_DEVICE_TAGS))
    .optional()
    .describe("Devices carrying every one of these tags (comma-separated)"),
});

export const DeviceList = listResult("devices", DeviceSchema, withTotal);
export const DeviceGetResult = dataResult(DeviceSchema);
export const DeviceWriteResult = writeResult(DeviceSchema);

export const RotateKeyResult = messageResult({
  device_id: z.string(),
  api_key: z.string(),
  api_key_prefix: z.string(),
  previous_key_valid_until: Timestamp.nullable(),
});

/** `GET /devices/tags`: every tag in use with how many active devices carry it. */
export const DeviceTagList = listResult("tags", z.object({ tag: z.string(), device_count: z.number().int() }));

/** `GET /devices/segments`: every segment of an active device with how many devices are in it. */
export const DeviceSegmentList = listResult(
  "segments",
  z.object({ segment: z.string(), device_count: z.number().int() }),
);

export const MAX_BULK_DEVICES = 500;
const BulkIds = {
  device_ids: z
    .array(DeviceId)
    .min(1)
    .max(MAX_BULK_DEVICES, `at most ${MAX_BULK_DEVICES} devices per request`)
    .describe("The selected devices; each one gets its own result"),
};

/** `POST /devices/bulk`: one action on many devices, each applied (and audited) on its own. */
export const BulkDeviceActionBody = z.discriminatedUnion("action", [
  z
    .object({
      ...BulkIds,
      action: z.literal("command"),
      command_type: z.string().trim().min(1).max(50),
      payload: z.record(z.string(), z.unknown()).optional(),
      expires_in_s: z
        .number()
        .int()
        .min(10)
        .max(7 * 86_400)
        .optional(),
    })
    .strict(),
  z.object({ ...BulkIds, action: z.literal("move"), site_id: SiteId }).strict(),
  z.object({ ...BulkIds, action: z.literal("status"), status: DeviceStatus }).strict(),
  z
    .object({
      ...BulkIds,
      action: z.literal("tag"),
      add: z.array(DeviceTag).max(MAX_DEVICE_TAGS).default([]),
      remove: z.array(DeviceTag).max(MAX_DEVICE_TAGS).default([]),
    })
    .strict()
    .refine((b) => b.add.length + b.remove.length > 0, { message: "give tags to add or remove", path: ["add"] }),
]);
export type BulkDeviceActionBody = z.infer<typeof BulkDeviceActionBody>;

export const BulkDeviceResult = z.object({
  device_id: z.string(),
  success: z.boolean(),
  /** The HTTP status this device's change alone would have answered (200, 201, 400, 404…). */
  status_code: z.number().int(),
  message: z.string(),
  command_id: z.string().optional(),
});
export const BulkDeviceActionResult = writeResult(
  z.object({
    action: z.string(),
    requested: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    results: z.array(BulkDeviceResult),
  }),
);
