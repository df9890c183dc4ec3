import { z } from "zod";
import { reportedOutcome } from "./commands.ts";
import {
  boundedJsonObject,
  commaList,
  isCalendarDateTime,
  listResult,
  Pagination,
  statusResult,
  Timestamp,
  timestamps,
  withTotal,
} from "./common.ts";
import { DeviceId } from "./devices.ts";

/**
 * The device reporting API under `/agent/*` (device key). Bodies are the original HOMEPOT agents' (their field
 * names, their defaults); every body names its device_id, which must be the key's device.
 */

/** When the device says something happened: ISO 8601, bare datetimes are UTC; checked against the clock by the use case. */
export const ReportTime = z
  .string()
  .max(40)
  .refine(isCalendarDateTime, { message: "must be an existing ISO 8601 datetime" });

const percent = z.number().min(0).max(100);
const SmallObject = boundedJsonObject({ maxBytes: 16 * 1024 });

export const HeartbeatBody = z.object({ device_id: DeviceId, timestamp: ReportTime.nullish() });

/** One sample in the original agents' names; mapped onto device_metrics (uptime and interval go to extra_metrics). */
export const AgentTelemetrySample = z.object({
  device_id: DeviceId,
  cpu_usage: percent,
  memory_usage: percent,
  disk_usage: percent,
  network_latency_ms: z.number().min(0).max(3_600_000).nullish(),
  uptime_seconds: z.number().int().min(0).max(1e10).nullish(),
  collection_interval_seconds: z.number().int().min(1).max(86_400).nullish(),
  timestamp: ReportTime.nullish(),
});
export type AgentTelemetrySample = z.infer<typeof AgentTelemetrySample>;
export const MAX_AGENT_SAMPLES = 1000;
/** One sample, or an array of up to 1000 (the original's `Union[sample, List[sample]]`). */
export const AgentTelemetryBody = z.union([
  AgentTelemetrySample,
  z.array(AgentTelemetrySample).min(1, "at least one sample is required").max(MAX_AGENT_SAMPLES),
]);

export const LOG_LEVELS = ["debug", "info", "warning", "error", "critical"] as const;
/** info | warning (warn) | error | critical | debug, any case; anything else is info, as the original does. */
const LogLevel = z
  .string()
  .trim()
  .max(20)
  .transform((s) => {
    const l = s.toLowerCase();
    if (l === "warn") return "warning";
    return (LOG_LEVELS as readonly string[]).includes(l) ? (l as (typeof LOG_LEVELS)[number]) : "info";
  });

export const AgentLogLine = z.object({
  device_id: DeviceId,
  level: LogLevel.default("info"),
  message: z.string().trim().min(1).max(4000),
  category: z.string().trim().min(1).max(50).default("device"),
  timestamp: ReportTime.nullish(),
  context: SmallObject.nullish(),
});
export type AgentLogLine = z.output<typeof AgentLogLine>;
export const MAX_LOG_LINES = 500;
/** One line (the original's body), or an array of up to 500 (our agent's batch). */
export const AgentLogsBody = z.union([AgentLogLine, z.array(AgentLogLine).min(1).max(MAX_LOG_LINES)]);

export const AgentAuditBody = z.object({
  device_id: DeviceId,
  event_type: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits, _ . : - only"),
  description: z.string().trim().min(1).max(2000),
  timestamp: ReportTime.nullish(),
  metadata: SmallObject.nullish(),
});

export const JOB_PRIORITIES = ["low", "normal", "high", "critical"] as const;
export const AgentJobBody = z.object({
  device_id: DeviceId,
  action: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullish(),
  priority: z.string().trim().toLowerCase().pipe(z.enum(JOB_PRIORITIES)).default("normal"),
  payload: SmallObject.nullish(),
  timestamp: ReportTime.nullish(),
});
export const AgentJobParams = z.object({ job_id: z.string().trim().min(1).max(64) });
export const AgentJobUpdateBody = z.object({
  device_id: DeviceId,
  status: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["running", "completed", "failed"])),
  result: SmallObject.nullish(),
  error_message: z.string().max(10_000).nullish(),
});

const JsonObject = boundedJsonObject({ maxBytes: 64 * 1024 });
export const AgentConfigHistoryBody = z.object({
  device_id: DeviceId,
  action: z.string().trim().min(1).max(100),
  parameter_name: z.string().trim().min(1).max(255),
  old_value: JsonObject.nullish(),
  new_value: JsonObject.nullish(),
  success: z.boolean().default(true),
  change_reason: z.string().max(2000).nullish(),
  timestamp: ReportTime.nullish(),
  performance_before: JsonObject.nullish(),
  performance_after: JsonObject.nullish(),
  was_rolled_back: z.boolean().default(false),
  rollback_reason: z.string().max(2000).nullish(),
  rollback_success: z.boolean().nullish(),
  rollback_performance: JsonObject.nullish(),
  rolled_back_at: ReportTime.nullish(),
});
export type AgentConfigHistoryBody = z.output<typeof AgentConfigHistoryBody>;

/** The original's answer (`status: "success"`) and ours (`success: true`) in one body. */
const reported = <T extends z.ZodType>(data: T) => statusResult({ data });
export const AgentMessageResult = statusResult({});
export const HeartbeatResult = reported(z.object({ device_id: z.string(), last_heartbeat_at: Timestamp }));
export const AgentTelemetryResult = reported(z.object({ device_id: z.string(), saved_count: z.number().int() }));
export const AgentLogsResult = reported(z.object({ device_id: z.string(), saved_count: z.number().int() }));

export const DeviceJobSchema = z.object({
  job_id: z.string(),
  device_id: z.string(),
  action: z.string(),
  description: z.string().nullable(),
  priority: z.string(),
  payload: z.unknown(),
  status: z.string(),
  ...reportedOutcome,
  ...timestamps,
  completed_at: Timestamp.nullable(),
});
export const AgentJobResult = reported(
  DeviceJobSchema.pick({ job_id: true, action: true, status: true, priority: true, created_at: true }),
);

// ---- what the dashboard reads (viewer and up)

export const DeviceLogSchema = z.object({
  id: z.number().int(),
  device_id: z.string(),
  timestamp: Timestamp,
  received_at: Timestamp,
  level: z.string(),
  category: z.string(),
  message: z.string(),
  context: z.unknown(),
});
export type DeviceLog = z.infer<typeof DeviceLogSchema>;
export const DeviceLogsQuery = z.object({
  /** Follow mode: only lines stored after this id, oldest first. Without it: the newest lines, newest first. */
  after_id: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  level: commaList(z.enum(LOG_LEVELS)),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const DeviceLogsResponse = z.object({
  success: z.literal(true),
  count: z.number().int(),
  logs: z.array(DeviceLogSchema),
  /** The highest id the device has stored (pass it as after_id to follow new lines). */
  last_id: z.number().int(),
});

export const DeviceJobsQuery = z
  .object({ status: z.enum(["pending", "running", "completed", "failed"]).optional() })
  .extend(Pagination.shape);
export const DeviceJobsResponse = listResult("jobs", DeviceJobSchema, withTotal);
