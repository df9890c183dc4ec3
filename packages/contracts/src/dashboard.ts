import { z } from "zod";
import { QueryBool, Timestamp } from "./common.ts";

export const FleetSummaryQuery = z.object({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(24)
    .describe("Length of the series, ending now (hourly buckets up to 168 h, daily beyond)"),
  series: QueryBool.optional().describe(
    "false: the counts alone, with an empty series (cheap on a large fleet; the Overview's figures ask for this)",
  ),
  sites_limit: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .optional()
    .describe("At most this many sites, those with the most devices in error or offline first; absent: every site"),
});

const Counts = z.record(z.string(), z.number().int());

/**
 * `GET /dashboard/summary`: the original HOMEPOT's fields (total_devices, lifecycle/connectivity/health counts,
 * pending_enrolment_intents, pending/expired commands) plus what the Overview charts need.
 */
export const FleetSummaryResult = z.object({
  success: z.literal(true),
  total_devices: z.number().int(),
  lifecycle_counts: Counts.describe("pending | active | suspended | unpaired, devices of active sites"),
  connectivity_counts: Counts.describe(
    "Active devices: online = heartbeat within 2 minutes, offline = older, unknown = never reported",
  ),
  health_counts: Counts.describe(
    "Active devices: healthy | warning | error | maintenance, unknown = never reported; critical = error (the original's name)",
  ),
  status_counts: Counts.describe("Active devices by the older status field"),
  source_counts: z.object({ real: z.number().int(), simulated: z.number().int() }),
  last_heartbeat_at: Timestamp.nullable(),
  /** Enrolment intents still open: pending approval or approved, not yet claimed, not expired. */
  pending_enrolment_intents: z.number().int(),
  pending_commands: z.number().int(),
  expired_commands: z.number().int(),
  sites_total: z.number().int().describe("Active sites counted, however many `sites` lists"),
  sites: z.array(
    z.object({
      site_id: z.string(),
      name: z.string(),
      devices: z.number().int(),
      online: z.number().int(),
      error: z.number().int(),
      offline: z.number().int(),
      status: z
        .enum(["online", "warning", "offline"])
        .describe(
          "warning if an active device is in error, else online if one heartbeated within 2 minutes, else offline",
        ),
      lifecycle_counts: Counts,
      health_counts: Counts,
    }),
  ),
  window: z.object({ start: Timestamp, end: Timestamp, bucket: z.enum(["hour", "day"]) }),
  series: z.array(
    z.object({
      timestamp: Timestamp.describe("Start of the bucket (ISO 8601, UTC)"),
      devices_reporting: z.number().int(),
      devices_unhealthy: z.number().int(),
      errors: z.number().int(),
      transactions: z.number().int(),
    }),
  ),
});
export type FleetSummaryResult = z.infer<typeof FleetSummaryResult>;
