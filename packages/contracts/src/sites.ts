import { z } from "zod";
import {
  dataResult,
  listResult,
  messageResult,
  Pagination,
  Timestamp,
  timestamps,
  withTotal,
  writeResult,
} from "./common.ts";

/** `site-001`: letters, digits, `.`, `_`, `-` (devices.site_id holds at most 20 characters). */
export const SiteId = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, . _ - only");

export const Timezone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: "must be an IANA time zone such as Europe/Berlin" },
  );

export const SiteParams = z.object({ site_id: SiteId });

export const CreateSiteBody = z.object({
  site_id: SiteId,
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).nullish(),
  location: z.string().trim().max(200).nullish(),
  timezone: Timezone.optional(),
  /** The tenant owning the site (default: the caller's only tenant, else the default tenant). */
  tenant_id: z.number().int().min(1).max(2_147_483_647).optional(),
});

export const UpdateSiteBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(2000).nullable(),
    location: z.string().trim().max(200).nullable(),
    timezone: Timezone,
    is_active: z.boolean(),
    require_device_approval: z.boolean().describe("Self-provisioned devices wait in pending until approved"),
  })
  .partial();

/** active | archived (hidden, data kept, devices suspended; restore brings it back). */
export const SiteLifecycleState = z.enum(["active", "archived"]);

export const SiteSchema = z.object({
  id: z.number().int(),
  site_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  location: z.string().nullable(),
  timezone: z.string(),
  is_active: z.boolean(),
  ...timestamps,
  tenant_id: z.number().int(),
  device_count: z.number().int().optional(),
  /** The site's bootstrap key, without the key (only its first characters). */
  bootstrap_key_prefix: z.string().nullable(),
  bootstrap_key_created_at: Timestamp.nullable(),
  bootstrap_key_expires_at: Timestamp.nullable(),
  bootstrap_key_max_uses: z.number().int().nullable(),
  bootstrap_key_uses: z.number().int(),
  require_device_approval: z.boolean(),
  /** Active devices per OS family (from their DNA; `unknown` before a device reports it), on the sites list. */
  os_mix: z.record(z.string(), z.number().int()).optional(),
  lifecycle_state: SiteLifecycleState,
  archived_at: Timestamp.nullable(),
});

/** `DELETE /sites/{site_id}`: archive (default: data kept, devices suspended) or purge (confirm=true, admin). */
export const DeleteSiteQuery = z.object({
  mode: z.enum(["archive", "purge"]).default("archive"),
  confirm: z
    .enum(["true", "false", "1", "0"])
    .transform((v) => v === "true" || v === "1")
    .default(false)
    .describe("Required for purge: it deletes the site and all its data"),
  reason: z.string().trim().max(500).optional(),
});

export const ResumeSiteDevicesResult = messageResult({
  site_id: z.string(),
  resumed: z.array(z.string()),
});

const Counts = z.record(z.string(), z.number().int());

/** `GET /sites/{site_id}/stats`: the original's `{site_id, total_devices, breakdown}` plus the three facts. */
export const SiteStatsResult = z.object({
  site_id: z.string(),
  total_devices: z.number().int(),
  breakdown: z.object({
    pre_provisioned: z.number().int(),
    self_enrolled: z.number().int(),
    other: z.number().int(),
  }),
  status: z.enum(["online", "warning", "offline"]),
  lifecycle_state: SiteLifecycleState,
  lifecycle_counts: Counts,
  connectivity_counts: Counts,
  health_counts: Counts,
  source_counts: Counts,
  last_heartbeat_at: Timestamp.nullable(),
});
export type Site = z.infer<typeof SiteSchema>;

export const ListSitesQuery = Pagination.extend({
  include_inactive: z
    .enum(["true", "false", "1", "0"])
    .transform((v) => v === "true" || v === "1")
    .optional(),
  search: z.string().trim().max(100).optional(),
  lifecycle_state: SiteLifecycleState.optional().describe("archived: the Archived tab"),
});

export const SiteList = listResult("sites", SiteSchema, withTotal);
export const SiteResult = writeResult(SiteSchema);
export const SiteGetResult = dataResult(SiteSchema);
