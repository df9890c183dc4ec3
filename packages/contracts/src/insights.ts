import { z } from "zod";
import { AlertSchema } from "./alerts.ts";
import { dataResult, IsoDate, listResult, numberCount, Timestamp, writeResult } from "./common.ts";

/** Request and response schemas of the insights API (/api/v1/ai). Every result names its factors, window and sample size. */

const Id = z.string().trim().min(1).max(100);
/** A job type or error category filter. */
const Label = z.string().trim().min(1).max(50);
const hours = (max: number, def: number) => z.coerce.number().int().min(1).max(max).default(def);

export const DeviceParams = z.object({ device_id: Id });
export const SiteParams = z.object({ site_id: Id });

export const HealthQuery = z.object({ hours: hours(720, 24) });
export const FailureQuery = z.object({ horizon_hours: hours(168, 24) });
export const AtRiskQuery = z.object({
  site_id: Id.optional(),
  horizon_hours: hours(168, 24),
  min_probability: z.coerce.number().min(0).max(1).default(0.2),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const WindowsQuery = z.object({
  duration_minutes: z.coerce.number().int().min(5).max(1440).default(60),
  days: z.coerce.number().int().min(1).max(14).default(7),
  limit: z.coerce.number().int().min(1).max(20).default(5),
  job_type: Label.optional(),
});
export const ScheduleJobBody = z.object({
  site_id: Id,
  duration_minutes: z.number().int().min(5).max(1440),
  job_type: Label.optional(),
});
export const SuccessProbabilityBody = z
  .object({
    site_id: Id.optional(),
    device_ids: z.array(Id).min(1).max(1000).optional(),
    job_type: Label.optional(),
    scheduled_at: IsoDate.optional(),
  })
  .refine((b) => b.site_id !== undefined || b.device_ids !== undefined, {
    message: "site_id or device_ids is required",
    path: ["site_id"],
  });
export const AnomaliesQuery = z.object({
  site_id: Id.optional(),
  device_id: Id.optional(),
  baseline_hours: hours(168, 24),
  /** Only the first (most severe) this many; `total` still counts them all. */
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
});
/** GET /ai/anomalies/live: the streaming detector's alarms as telemetry arrived (newest first). */
export const LiveAnomaliesQuery = z.object({
  device_id: Id.optional(),
  hours: hours(168, 24),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const ErrorPatternsQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7),
  start_date: IsoDate.optional(),
  end_date: IsoDate.optional(),
  site_id: Id.optional(),
  device_id: Id.optional(),
  category: Label.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export const ForecastQuery = z.object({
  site_id: Id.optional(),
  horizon_hours: hours(168, 24),
  hours: hours(720, 24),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const Window = z.object({ start: Timestamp, end: Timestamp, hours: z.number() });
/** The days of history an answer rests on. */
const DaysWindow = z.object({ start: Timestamp, end: Timestamp, days: z.number() });
const Details = z.record(z.string(), z.unknown());
/** The device an answer is about. */
const aboutDevice = { device_id: z.string(), site_id: z.string(), status: z.string() };

export const HealthFactorSchema = z.object({
  factor: z.string(),
  label: z.string(),
  value: z.number().nullable(),
  unit: z.string(),
  weight: z.number(),
  penalty: z.number(),
  status: z.enum(["ok", "warning", "critical", "no_data"]),
  thresholds: z.object({ warn: z.number(), critical: z.number() }),
  samples: z.number(),
  detail: z.string(),
});
export const TrendSchema = z.object({
  metric: z.string(),
  current: z.number().nullable(),
  slope_per_hour: z.number().nullable(),
  direction: z.enum(["rising", "falling", "stable", "unknown"]),
  samples: z.number(),
});
/** failed: in error/offline now; waiting_for_first_contact: registered but never reported (score null). */
export const HealthScoreState = z.enum(["scored", "failed", "no_data", "waiting_for_first_contact"]);
export const HealthScoreSchema = z.object({
  state: HealthScoreState,
  score: z.number().nullable(),
  grade: z.string(),
  confidence: z.number(),
  factors: z.array(HealthFactorSchema),
  trends: z.array(TrendSchema),
  window: Window,
  sample_size: z.object({ metrics: z.number(), health_checks: z.number(), state_changes: z.number() }),
});
export const RiskFactorSchema = z.object({
  factor: z.string(),
  probability: z.number(),
  value: z.number().nullable(),
  unit: z.string(),
  detail: z.string(),
  samples: z.number(),
  current_state: z.boolean(),
});
/** failed: already in error/offline (not a prediction); waiting_for_first_contact: never reported, not assessed. */
export const RiskState = z.enum(["assessed", "failed", "waiting_for_first_contact"]);
export const FailureRiskSchema = z.object({
  state: RiskState,
  probability: z.number(),
  elevated_probability: z.number(),
  risk_level: z.enum(["low", "medium", "high", "critical", "failed", "unknown"]),
  /** Why the level is above what the probability alone gives (critical health factors), else null. */
  level_reason: z.string().nullable(),
  confidence: z.number(),
  horizon_hours: z.number(),
  estimated_failure_at: Timestamp.nullable(),
  /** "not enough data yet (needs N more minutes)" when resource trends were not projected (too little history). */
  trend_note: z.string().nullable(),
  factors: z.array(RiskFactorSchema),
  window: Window,
  sample_size: z.object({
    metrics: z.number(),
    health_checks: z.number(),
    state_changes: z.number(),
    errors: z.number(),
    config_changes: z.number(),
  }),
});

export const DeviceInsightsResponse = dataResult(
  z.object({
    ...aboutDevice,
    last_seen: Timestamp.nullable(),
    generated_at: Timestamp,
    health: HealthScoreSchema,
    failure_risk: FailureRiskSchema,
  }),
);

export const SiteInsightsResponse = dataResult(
  z.object({
    site_id: z.string(),
    name: z.string(),
    generated_at: Timestamp,
    window: Window,
    device_count: z.number(),
    scored_devices: z.number(),
    health_score: z.number().nullable(),
    confidence: z.number(),
    grades: z.record(z.string(), z.number()),
    at_risk: z.number(),
    open_alerts: z.number(),
    devices: z.array(
      z.object({
        device_id: z.string(),
        status: z.string(),
        state: HealthScoreState,
        health_score: z.number().nullable(),
        grade: z.string(),
        failure_probability: z.number(),
        top_issue: z.string().nullable(),
      }),
    ),
    factors: z.array(z.object({ factor: z.string(), mean_penalty: z.number(), devices_affected: z.number() })),
  }),
);

export const FailurePredictionResponse = dataResult(
  FailureRiskSchema.extend({ ...aboutDevice, generated_at: Timestamp }),
);

export const AtRiskResponse = listResult(
  "devices",
  z.object({
    ...aboutDevice,
    state: RiskState,
    probability: z.number(),
    elevated_probability: z.number(),
    risk_level: z.string(),
    level_reason: z.string().nullable(),
    confidence: z.number(),
    estimated_failure_at: Timestamp.nullable(),
    top_factors: z.array(RiskFactorSchema),
  }),
  {
    ...numberCount,
    evaluated: z.number(),
    /** Registered devices that never reported: not assessed and not listed. */
    waiting_for_first_contact: z.number(),
    horizon_hours: z.number(),
    min_probability: z.number(),
    generated_at: Timestamp,
    window: z.object({ start: Timestamp, end: Timestamp }),
  },
);

const WindowCandidateSchema = z.object({
  start: Timestamp,
  end: Timestamp,
  local_start: z.string(),
  score: z.number(),
  phases: z.record(z.string(), z.number()),
  expected_transactions: z.number().nullable(),
  job_failure_rate: z.number().nullable(),
  reasons: z.array(z.string()),
});
const WindowFactors = z.array(
  z.object({ factor: z.string(), weight: z.number(), available: z.boolean(), detail: z.string() }),
);
const WindowData = z.object({ schedule_days: z.number(), volume_hours: z.number(), job_outcomes: z.number() });

export const OptimalWindowsResponse = z.object({
  success: z.literal(true),
  count: z.number(),
  site_id: z.string(),
  time_zone: z.string(),
  duration_minutes: z.number(),
  job_type: z.string().nullable(),
  confidence: z.number(),
  windows: z.array(WindowCandidateSchema),
  factors: WindowFactors,
  data: WindowData,
  window: DaysWindow,
  generated_at: Timestamp,
});

export const ScheduleJobResponse = dataResult(
  z.object({
    site_id: z.string(),
    job_type: z.string().nullable(),
    duration_minutes: z.number(),
    recommended_start: Timestamp,
    recommended_end: Timestamp,
    local_start: z.string(),
    score: z.number(),
    confidence: z.number(),
    reasons: z.array(z.string()),
    alternatives: z.array(WindowCandidateSchema),
    factors: WindowFactors,
    data: WindowData,
    generated_at: Timestamp,
  }),
);

export const SuccessProbabilityResponse = dataResult(
  z.object({
    probability: z.number(),
    confidence: z.number(),
    factors: z.array(
      z.object({
        factor: z.string(),
        effect: z.number(),
        value: z.number().nullable(),
        detail: z.string(),
        samples: z.number(),
      }),
    ),
    target: z.object({
      site_id: z.string().nullable(),
      device_ids: z.array(z.string()),
      job_type: z.string().nullable(),
      scheduled_at: Timestamp.nullable(),
    }),
    window: DaysWindow,
    sample_size: z.object({ job_outcomes: z.number(), devices: z.number() }),
    generated_at: Timestamp,
  }),
);

export const AnomalySchema = z.object({
  alert_id: z.number().nullable(),
  kind: z.string(),
  severity: z.string(),
  device_id: z.string().nullable(),
  site_id: z.string().nullable(),
  metric: z.string().nullable(),
  title: z.string(),
  score: z.number(),
  fingerprint: z.string(),
  detected_at: Timestamp,
  first_detected_at: Timestamp,
  occurrences: z.number(),
  details: Details,
});
export const AnomaliesResponse = listResult("anomalies", AnomalySchema, {
  ...numberCount,
  /** Every anomaly found, also those beyond `limit`. */
  total: z.number(),
  devices_checked: z.number(),
  generated_at: Timestamp,
  window: z.object({ start: Timestamp, end: Timestamp, baseline_hours: z.number() }),
});

/** The device_metrics columns the live detector watches (one detector per device and column). */
export const LIVE_ANOMALY_METRICS = [
  "cpu_percent",
  "memory_percent",
  "disk_percent",
  "network_latency_ms",
  "error_rate",
  "transaction_count",
] as const;
export const LiveAnomalySchema = z.object({
  device_id: z.string(),
  metric: z.enum(LIVE_ANOMALY_METRICS),
  at: Timestamp,
  value: z.number(),
  expected: z.number(),
  expected_low: z.number(),
  expected_high: z.number(),
  score: z.number(),
  z: z.number(),
  basis: z.enum(["level", "recent_level", "hour_of_day", "hour_of_week", "new_range"]),
});
export const LiveAnomaliesResponse = listResult("anomalies", LiveAnomalySchema, {
  ...numberCount,
  /** Devices whose detectors are in memory on this instance (they reported since it started). */
  devices_watched: z.number(),
  since: Timestamp,
});

export const ResolveAlertResponse = writeResult(AlertSchema);

const PatternSchema = z.object({
  dimension: z.string(),
  key: z.string(),
  count: z.number(),
  share: z.number(),
  first_seen: Timestamp,
  last_seen: Timestamp,
  distinct_days: z.number(),
  earlier: z.number(),
  later: z.number(),
  rise_z: z.number(),
  recurring: z.boolean(),
  rising: z.boolean(),
  severities: z.record(z.string(), z.number()),
});
export const ErrorPatternsResponse = z.object({
  success: z.literal(true),
  total: z.number(),
  window: DaysWindow,
  patterns: z.record(z.string(), z.array(PatternSchema)),
  recurring: z.array(PatternSchema),
  rising: z.array(PatternSchema),
  generated_at: Timestamp,
});

/** Whether a device's health could be projected, and if not why. */
export const ForecastState = z.enum(["projected", "not_enough_data", "waiting_for_first_contact", "failed"]);
export const HealthForecastResponse = listResult(
  "devices",
  z.object({
    device_id: z.string(),
    site_id: z.string(),
    state: ForecastState,
    current_score: z.number().nullable(),
    projected_score: z.number().nullable(),
    /** Why there is no projection, e.g. "not enough data yet (needs 95 more minutes)". */
    note: z.string().nullable(),
    failure_probability: z.number(),
    drivers: z.array(z.string()),
    confidence: z.number(),
  }),
  {
    ...numberCount,
    horizon_hours: z.number(),
    generated_at: Timestamp,
    window: Window,
    devices_evaluated: z.number(),
    devices_not_projected: z.number(),
    current_mean_score: z.number().nullable(),
    projected_mean_score: z.number().nullable(),
    expected_failures: z.number(),
  },
);

/** The live streaming detector's model card (GET /ai/status): parameters, NAB figures and their date. */
export type ModelCard = z.infer<typeof ModelCardSchema>;
export const ModelCardSchema = z.object({
  name: z.string(),
  method: z.string(),
  parameters: z.record(z.string(), z.number()),
  nab: z.object({
    measured_on: z.string(),
    corpus: z.string(),
    scores: z.object({ standard: z.number(), reward_low_FP_rate: z.number(), reward_low_FN_rate: z.number() }),
    goal: z.object({ standard: z.number(), reward_low_FP_rate: z.number() }),
    previous: z.object({ standard: z.number(), reward_low_FP_rate: z.number(), reward_low_FN_rate: z.number() }),
    published: z.array(z.object({ detector: z.string(), standard: z.number(), reward_low_FP_rate: z.number() })),
  }),
  backtest: z.object({ measured_on: z.string().nullable(), note: z.string() }),
});
export const InsightsStatusResponse = dataResult(
  z.object({
    status: z.enum(["ready", "insufficient_data"]),
    engine: z.string(),
    external_services: z.literal(false),
    generated_at: Timestamp,
    window: DaysWindow,
    data: z.record(z.string(), z.number()),
    models: z.array(
      z.object({
        name: z.string(),
        method: z.string(),
        inputs: z.array(z.string()),
        ready: z.boolean(),
        needs: z.string(),
      }),
    ),
    model_card: ModelCardSchema,
  }),
);
