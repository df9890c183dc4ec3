import { z } from "zod";
import {
  boundedJsonObject,
  isCalendarDateTime,
  jsonLimitProblem,
  messageResult,
  Timestamp,
  writeResult,
} from "./common.ts";
import { DeviceId } from "./devices.ts";

const INT_MAX = 2_147_483_647;
const percent = z.number().min(0).max(100);
const count = z.number().int().min(0).max(INT_MAX);
const latencyMs = z.number().min(0).max(3_600_000);
const volume = z.number().min(0).max(1e12);
const ExtraMetrics = boundedJsonObject();

/**
 * The figures of a sample, named as the device_metrics columns: what rules watch, rollups aggregate and the
 * telemetry repository writes. One list, so a figure is never renamed between request, rule and column.
 */
export const METRIC_FIGURES = [
  "cpu_percent",
  "memory_percent",
  "disk_percent",
  "network_latency_ms",
  "transaction_count",
  "transaction_volume",
  "error_rate",
  "active_connections",
  "queue_depth",
] as const;
export type MetricFigure = (typeof METRIC_FIGURES)[number];

/** A sample's own time: ISO 8601; bare datetimes are UTC. */
const SampleTime = z
  .string()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s) && isCalendarDateTime(s), {
    message: "must be an existing ISO 8601 datetime",
  });

/** One telemetry sample (SPEC §6): nulls for figures the device lacks; percentages 0–100, counts ≥ 0. */
export const MetricSample = z.object({
  device_id: DeviceId.optional(),
  timestamp: SampleTime.nullish(),
  cpu_percent: percent.nullish(),
  memory_percent: percent.nullish(),
  disk_percent: percent.nullish(),
  network_latency_ms: latencyMs.nullish(),
  transaction_count: count.nullish(),
  transaction_volume: volume.nullish(),
  /** Errors per 100 operations (0–100). */
  error_rate: percent.nullish(),
  active_connections: count.nullish(),
  queue_depth: count.nullish(),
  extra_metrics: ExtraMetrics.nullish(),
});
export type MetricSampleInput = z.infer<typeof MetricSample>;

export const MAX_SAMPLES_PER_REQUEST = 1000;

/** One sample, or `{samples: [...]}` of up to 1000. */
export const IngestMetricsBody = MetricSample.extend({
  samples: z.array(MetricSample).min(1).max(MAX_SAMPLES_PER_REQUEST).optional(),
});

export const IngestMetricsResult = messageResult({ count: z.number().int().optional() });

/** Figures a health report may carry under `metrics` (the original names and ours). */
export const HealthMetrics = z
  .object({
    cpu_usage_percent: percent.nullish(),
    cpu_percent: percent.nullish(),
    memory_usage_percent: percent.nullish(),
    memory_percent: percent.nullish(),
    disk_usage_percent: percent.nullish(),
    disk_percent: percent.nullish(),
    network_latency_ms: latencyMs.nullish(),
    transactions_today: count.nullish(),
    transaction_count: count.nullish(),
    transaction_volume: volume.nullish(),
    error_rate: percent.nullish(),
    active_connections: count.nullish(),
    queue_depth: count.nullish(),
    uptime_seconds: z.number().min(0).max(1e10).nullish(),
  })
  .catchall(z.unknown())
  .superRefine((value, ctx) => {
    const problem = jsonLimitProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** The health check payload of the original agents (status, config_version, response_time_ms, …). */
export const HealthReportBody = z.object({
  status: z.string().trim().min(1).max(30),
  status_code: z.number().int().min(100).max(599).optional(),
  config_version: z.string().trim().max(50).nullish(),
  software_version: z.string().trim().max(50).nullish().describe("Installed software release (homepot-agent)"),
  firmware_version: z.string().trim().max(50).nullish().describe("Installed firmware release (homepot-agent)"),
  response_time_ms: z.number().min(0).max(3_600_000).nullish(),
  endpoint: z.string().max(200).nullish(),
  device_info: boundedJsonObject().nullish(),
  services: boundedJsonObject().nullish(),
  metrics: HealthMetrics.nullish(),
  error: z.string().max(5000).nullish(),
  timestamp: SampleTime.nullish(),
});
export type HealthReportInput = z.infer<typeof HealthReportBody>;

export const HealthCheckSchema = z.object({
  id: z.number().int(),
  device_id: z.string(),
  is_healthy: z.boolean(),
  status_code: z.number().int(),
  response_time_ms: z.number().int().nullable(),
  device_status: z.string(),
  previous_status: z.string(),
  status_changed: z.boolean(),
  timestamp: Timestamp,
});
export const HealthCheckResult = writeResult(HealthCheckSchema);

const FIGURE_LIMITS: Record<MetricFigure, { max: number; int: boolean }> = {
  cpu_percent: { max: 100, int: false },
  memory_percent: { max: 100, int: false },
  disk_percent: { max: 100, int: false },
  network_latency_ms: { max: 3_600_000, int: false },
  transaction_count: { max: INT_MAX, int: true },
  transaction_volume: { max: 1e12, int: false },
  error_rate: { max: 100, int: false },
  active_connections: { max: INT_MAX, int: true },
  queue_depth: { max: INT_MAX, int: true },
};
const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const SAMPLE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/**
 * The ingest hot path's precompiled check of ONE bare sample: true only when `MetricSample` would accept `value`
 * and return it unchanged (no unknown keys to strip, no id to trim), so the route can skip zod's parse. Anything
 * else (a batch, a bad or unusual field) answers false and goes through the schema, which names the field.
 */
export function isPlainSample(value: unknown): value is MetricSampleInput {
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return false;
  const sample = value as Record<string, unknown>;
  for (const key in sample) {
    const v = sample[key];
    if (Object.hasOwn(FIGURE_LIMITS, key)) {
      if (v === null) continue;
      const limits = FIGURE_LIMITS[key as MetricFigure];
      if (typeof v !== "number" || !(v >= 0 && v <= limits.max) || (limits.int && !Number.isInteger(v))) return false;
    } else if (key === "device_id") {
      if (typeof v !== "string" || v.length > 100 || !DEVICE_ID.test(v)) return false;
    } else if (key === "timestamp") {
      if (v !== null && (typeof v !== "string" || !SAMPLE_TIME.test(v) || !isCalendarDateTime(v))) return false;
    } else if (key === "extra_metrics") {
      if (v === null) continue;
      if (typeof v !== "object" || Object.getPrototypeOf(v) !== Object.prototype || jsonLimitProblem(v)) return false;
      // A "__proto__" key (JSON.parse makes it an own key) is dropped by the schema: leave such a body to the schema.
      if (Object.hasOwn(v, "__proto__")) return false;
    } else return false;
  }
  return true;
}
