import { z } from "zod";
import { Pagination } from "./common.ts";
import { SiteId } from "./sites.ts";

export const DeviceId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "letters, digits, . _ : - only");

export const DeviceStatus = z.enum(["online", "offline", "error", "maintenance"]);
export type DeviceStatusValue = z.infer<typeof DeviceStatus>;

const DeviceType = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only");
const Segment = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only");
const IpAddress = z.union([z.ipv4(), z.ipv6()], { error: "must be an IPv4 or IPv6 address" });
const ConfigObject = z.record(z.string(), z.unknown());
const Version = z.string().trim().min(1).max(50);

export const DeviceParams = z.object({ device_id: DeviceId });
export const SiteDeviceParams = z.object({ site_id: SiteId });

export const RegisterDeviceBody = z.object({
  device_id: DeviceId,
  name: z.string().trim().min(1).max(100),
  device_type: DeviceType,
  ip_address: IpAddress.nullish(),
  config: ConfigObject.nullish(),
  segment: Segment.optional(),
  is_simulated: z.boolean().optional(),
  firmware_version: Version.nullish(),
  config_version: Version.nullish(),
});

export const UpdateDeviceBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    device_type: DeviceType,
    ip_address: IpAddress.nullable(),
    config: ConfigObject.nullable(),
    segment: Segment,
    status: DeviceStatus,
    site_id: SiteId,
    firmware_version: Version.nullable(),
    config_version: Version.nullable(),
  })
  .partial();

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
  last_seen: z.string().nullable(),
  segment: z.string(),
  is_simulated: z.boolean(),
  config_version: z.string().nullable(),
  firmware_version: z.string().nullable(),
  /** The first characters of the current key: enough to recognise it, useless to an attacker. */
  api_key_prefix: z.string().nullable(),
  api_key_created_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  site_name: z.string().nullable().optional(),
});
export type Device = z.infer<typeof DeviceSchema>;

/** Registration answer: the device's fields with `api_key` beside them (the only time it is shown). */
export const RegisterDeviceResult = DeviceSchema.extend({
  success: z.literal(true),
  message: z.string(),
  api_key: z.string(),
});

const boolFlag = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1")
  .optional();

export const ListDevicesQuery = Pagination.extend({
  site_id: SiteId.optional(),
  status: DeviceStatus.optional(),
  device_type: DeviceType.optional(),
  segment: Segment.optional(),
  is_simulated: boolFlag,
  include_inactive: boolFlag,
  search: z.string().trim().max(100).optional(),
});

export const DeviceList = z.object({
  success: z.literal(true),
  count: z.number().int(),
  total: z.number().int(),
  devices: z.array(DeviceSchema),
});
export const DeviceGetResult = z.object({ success: z.literal(true), data: DeviceSchema });
export const DeviceWriteResult = z.object({ success: z.literal(true), message: z.string(), data: DeviceSchema });

export const RotateKeyResult = z.object({
  success: z.literal(true),
  message: z.string(),
  device_id: z.string(),
  api_key: z.string(),
  api_key_prefix: z.string(),
  previous_key_valid_until: z.string().nullable(),
});
