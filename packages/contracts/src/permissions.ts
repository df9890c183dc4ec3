import { z } from "zod";
import { statusDataResult, Timestamp } from "./common.ts";
import { DeviceId } from "./devices.ts";

/** The original HOMEPOT's five grants a device's owner gives (or not) to remote operators. */
export const PERMISSION_KEYS = [
  "root_access",
  "command_execution",
  "process_monitoring",
  "filesystem_access",
  "network_monitoring",
] as const;
export type PermissionKey = (typeof PERMISSION_KEYS)[number];

const flags = (fill: () => z.ZodType<boolean>) =>
  z.object(Object.fromEntries(PERMISSION_KEYS.map((k) => [k, fill()])) as Record<PermissionKey, z.ZodType<boolean>>);
export const PermissionFlags = flags(() => z.boolean());
export type PermissionFlags = Record<PermissionKey, boolean>;
/** Only the keys given change; unknown keys are refused (a typo must not read as "nothing to change"). */
export const PermissionPatch = z.strictObject(
  Object.fromEntries(PERMISSION_KEYS.map((k) => [k, z.boolean().optional()])) as Record<
    PermissionKey,
    z.ZodOptional<z.ZodBoolean>
  >,
);

export const DevicePermissionsParams = z.object({ device_id: DeviceId });
export const UpdatePermissionsBody = z.object({
  permissions: PermissionPatch,
  /** Our agent's addition: the OS it runs on, recorded when the server knows none yet (capabilities follow it). */
  os_details: z.string().trim().min(1).max(200).optional(),
});
export const OverridePermissionsBody = z.object({
  permissions: PermissionPatch,
  /** Why the admin overrides the owner's choice (kept in the audit log). */
  reason: z.string().trim().max(500).optional(),
});

/** The original's answer: `{status: "success", data: {device_id, permissions, capabilities, message}}` (+ ours). */
export const DevicePermissionsResponse = statusDataResult(
  z.object({
    device_id: z.string(),
    permissions: PermissionFlags,
    capabilities: PermissionFlags,
    /** linux | macos | windows | android | ios, or null when the device never said. */
    os_family: z.string().nullable(),
    updated_via: z.string().nullable(),
    updated_at: Timestamp.nullable(),
    message: z.string(),
  }),
);
export type DevicePermissionsView = z.infer<typeof DevicePermissionsResponse>["data"];
