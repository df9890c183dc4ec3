import { z } from "zod";
import {
  boundedJsonObject,
  dataResult,
  failure,
  IsoDate,
  listResult,
  QueryBool,
  resolution,
  SerialId,
  SerialIdParams,
  Text,
  Timestamp,
  writeResult,
} from "./common.ts";
import { ScheduleSchema } from "./schedules.ts";
import { PRODUCT_TABLE_NAMES } from "./tables.ts";

const JsonObject = boundedJsonObject();

// ---------------------------------------------------------------- intake

/** One dashboard interaction. `metadata` is the original API's name for `extra_data`; a body `user_id` is ignored. */
export const ActivityEvent = z.object({
  activity_type: z.string().trim().min(1).max(50),
  page_url: z.string().max(500).nullish(),
  element_id: z.string().max(255).nullish(),
  search_query: z.string().max(2000).nullish(),
  extra_data: JsonObject.nullish(),
  metadata: JsonObject.nullish(),
  duration_ms: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600 * 1000)
    .nullish(),
  session_id: z.string().max(255).nullish(),
  timestamp: IsoDate.optional(),
});
export type ActivityEventInput = z.infer<typeof ActivityEvent>;

const MAX_BATCH = 500;

/** One event, `{events: [...]}` or a bare array; all normalised to `{events}`. */
export const UserActivityBody = z.preprocess(
  (v) => (Array.isArray(v) ? { events: v } : v && typeof v === "object" && !("events" in v) ? { events: [v] } : v),
  z.object({ events: z.array(ActivityEvent).min(1).max(MAX_BATCH) }),
);

export const FrontendError = z
  .object({
    error_message: z.string().trim().min(1).max(10_000).optional(),
    /** Synonym of error_message (browser Error.message). */
    message: z.string().trim().min(1).max(10_000).optional(),
    severity: z.enum(["critical", "error", "warning", "info"]).default("error"),
    error_code: z.string().trim().min(1).max(50).optional(),
    stack_trace: z.string().max(20_000).nullish(),
    /** Synonym of stack_trace. */
    stack: z.string().max(20_000).nullish(),
    endpoint: z.string().max(255).nullish(),
    page_url: z.string().max(500).nullish(),
    device_id: z.string().max(255).nullish(),
    context: JsonObject.nullish(),
    metadata: JsonObject.nullish(),
    timestamp: IsoDate.optional(),
  })
  .refine((e) => e.error_message !== undefined || e.message !== undefined, {
    message: "error_message is required",
    path: ["error_message"],
  });
export type FrontendErrorInput = z.infer<typeof FrontendError>;

export const FrontendErrorBody = z.preprocess(
  (v) => (Array.isArray(v) ? { errors: v } : v && typeof v === "object" && !("errors" in v) ? { errors: [v] } : v),
  z.object({ errors: z.array(FrontendError).min(1).max(100) }),
);

export const IntakeResult = writeResult(z.object({ count: z.number().int(), ids: z.array(z.number().int()) }));

export const ErrorIdParams = SerialIdParams;
/** An empty body means "resolve". */
export const ResolveErrorBody = z.preprocess(
  (v) => v ?? {},
  z.object({ resolved: z.boolean().default(true), note: z.string().max(2000).optional() }),
);

export const ErrorLogSchema = z.object({
  id: z.number().int(),
  timestamp: Timestamp,
  category: z.string(),
  severity: z.string(),
  error_code: z.string().nullable(),
  error_message: z.string(),
  stack_trace: z.string().nullable(),
  endpoint: z.string().nullable(),
  user_id: z.string().nullable(),
  device_id: z.string().nullable(),
  context: z.unknown(),
  ...resolution,
});
export const ResolveErrorResult = writeResult(ErrorLogSchema);

// ---------------------------------------------------------------- queries

/** Opaque keyset cursors: base64url of a JSON tuple, validated so a bad one is a 400 naming `cursor`. */
// btoa/atob rather than Buffer: this module is also bundled into the dashboard.
export function encodeCursor(values: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(values));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
export function decodeCursor(s: string): unknown {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}
function cursorOf<T extends z.ZodType>(tuple: T) {
  return z
    .string()
    .max(300)
    .transform((s, ctx): z.output<T> => {
      let decoded: unknown;
      try {
        decoded = decodeCursor(s);
      } catch {
        decoded = undefined;
      }
      const parsed = tuple.safeParse(decoded);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", message: "invalid cursor (pass back next_cursor unchanged)" });
        return z.NEVER;
      }
      return parsed.data;
    });
}
/** (timestamp as PostgreSQL prints it, with microseconds; id) of the last row of the previous page. */
export const TimeCursor = cursorOf(
  z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/), z.number().int().min(0)]),
);
export type TimeCursorValue = z.output<typeof TimeCursor>;
/** (site_id, day_of_week) of the last schedule of the previous page. */
export const ScheduleCursor = cursorOf(z.tuple([z.string().max(255), z.number().int().min(0).max(6)]));

const pageShape = {
  start_date: IsoDate.optional(),
  end_date: IsoDate.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** Count all matching rows too (an extra query; off by default for large ranges). */
  include_total: QueryBool.optional(),
};

function listQuery<S extends z.ZodRawShape>(shape: S) {
  return z.object({ ...pageShape, cursor: TimeCursor.optional(), ...shape }).superRefine(checkRange);
}

function checkRange(value: unknown, ctx: z.RefinementCtx): void {
  const q = value as { start_date?: Date; end_date?: Date };
  if (q.start_date && q.end_date && q.start_date > q.end_date)
    ctx.addIssue({ code: "custom", path: ["start_date"], message: "must not be after end_date" });
}

export interface PageQuery {
  start_date?: Date | undefined;
  end_date?: Date | undefined;
  limit: number;
  offset: number;
  include_total?: boolean | undefined;
  cursor?: TimeCursorValue | undefined;
}

const HttpMethod = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]));
const StatusCode = z.coerce.number().int().min(100).max(599);
const SiteFilter = Text(50).optional();
const DeviceFilter = Text(255).optional();

export const ApiRequestsQuery = listQuery({
  endpoint: Text(255).optional(),
  route: Text(255).optional(),
  method: HttpMethod.optional(),
  status_code: StatusCode.optional(),
  /** Only failed requests (status ≥ 400). */
  errors_only: QueryBool.optional(),
  user_id: Text(255).optional(),
  device_id: DeviceFilter,
});
export const JobOutcomesQuery = listQuery({
  site_id: SiteFilter,
  job_id: Text(255).optional(),
  job_type: Text(100).optional(),
  device_id: DeviceFilter,
  status: Text(50).optional(),
  initiated_by: Text(255).optional(),
});
export const ErrorLogsQuery = listQuery({
  site_id: SiteFilter,
  category: Text(50).optional(),
  severity: z.enum(["critical", "error", "warning", "info"]).optional(),
  error_code: Text(50).optional(),
  resolved: QueryBool.optional(),
  device_id: DeviceFilter,
  user_id: Text(255).optional(),
  endpoint: Text(255).optional(),
});
export const UserActivitiesQuery = listQuery({
  user_id: Text(255).optional(),
  activity_type: Text(50).optional(),
  session_id: Text(255).optional(),
  page_url: Text(500).optional(),
});
export const AuditLogsQuery = listQuery({
  event_type: Text(50).optional(),
  user_id: SerialId.optional(),
  /** The device's device_id (e.g. pos-terminal-001). */
  device_id: Text(100).optional(),
  /** The site's site_id (e.g. site-001). */
  site_id: SiteFilter,
  /** The job's job_id (e.g. job-1a2b3c4d). */
  job_id: Text(100).optional(),
});

// The device history lists: the filters of one device's list (under /devices/{device_id}/…, every role that may
// see the device), and the fleet-wide list (admin, /analytics/…) with its site and device filters added.
const healthCheckFilters = {
  is_healthy: QueryBool.optional(),
  status_code: StatusCode.optional(),
};
const stateFilters = {
  new_state: Text(50).optional(),
  previous_state: Text(50).optional(),
  changed_by: Text(255).optional(),
};
const configChangeFilters = {
  parameter_name: Text(255).optional(),
  change_type: Text(50).optional(),
  changed_by: Text(255).optional(),
  job_id: Text(100).optional(),
  was_successful: QueryBool.optional(),
  was_rolled_back: QueryBool.optional(),
};
export const DeviceMetricsForDeviceQuery = listQuery({});
export const HealthChecksForDeviceQuery = listQuery(healthCheckFilters);
export const DeviceStatesForDeviceQuery = listQuery(stateFilters);
export const ConfigHistoryForDeviceQuery = listQuery(configChangeFilters);

export const DeviceMetricsQuery = listQuery({ device_id: DeviceFilter, site_id: SiteFilter });
export const HealthChecksQuery = listQuery({
  site_id: SiteFilter,
  device_id: Text(100).optional(),
  ...healthCheckFilters,
});
export const DeviceStatesQuery = listQuery({ site_id: SiteFilter, device_id: DeviceFilter, ...stateFilters });
export const ConfigHistoryQuery = listQuery({
  entity_type: Text(50).optional(),
  entity_id: Text(255).optional(),
  /** Shorthand for entity_type=device&entity_id=… */
  device_id: DeviceFilter,
  ...configChangeFilters,
});
export const SiteSchedulesQuery = z
  .object({
    ...pageShape,
    cursor: ScheduleCursor.optional(),
    site_id: Text(255).optional(),
    day_of_week: z.coerce.number().int().min(0).max(6).optional(),
    is_maintenance_window: QueryBool.optional(),
    is_closed: QueryBool.optional(),
  })
  .superRefine(checkRange);

const Nullable = <T extends z.ZodType>(t: T) => t.nullable();
const S = z.string();
const N = z.number();
const I = z.number().int();
const B = z.boolean();

export const ApiRequestSchema = z.object({
  id: I,
  timestamp: S,
  endpoint: S,
  route: Nullable(S),
  method: S,
  status_code: I,
  response_time_ms: N,
  user_id: Nullable(S),
  /** The user's name, beside the id (null for anonymous and device requests). */
  username: Nullable(S),
  device_id: Nullable(S),
  ip_address: Nullable(S),
  user_agent: Nullable(S),
  error_message: Nullable(S),
  request_size_bytes: Nullable(I),
  response_size_bytes: Nullable(I),
});
export const DeviceStateSchema = z.object({
  id: I,
  timestamp: S,
  device_id: S,
  previous_state: Nullable(S),
  new_state: S,
  changed_by: S,
  reason: Nullable(S),
  extra_data: z.unknown(),
});
export const JobOutcomeSchema = z.object({
  id: I,
  timestamp: S,
  job_id: S,
  job_type: Nullable(S),
  device_id: Nullable(S),
  status: S,
  duration_ms: Nullable(I),
  ...failure,
  retry_count: I,
  initiated_by: Nullable(S),
  extra_data: z.unknown(),
});
export const UserActivitySchema = z.object({
  id: I,
  timestamp: S,
  user_id: S,
  username: Nullable(S),
  session_id: Nullable(S),
  activity_type: S,
  page_url: Nullable(S),
  element_id: Nullable(S),
  search_query: Nullable(S),
  extra_data: z.unknown(),
  duration_ms: Nullable(I),
});
export const DeviceMetricSchema = z.object({
  id: I,
  timestamp: S,
  device_id: S,
  cpu_percent: Nullable(N),
  memory_percent: Nullable(N),
  disk_percent: Nullable(N),
  network_latency_ms: Nullable(N),
  transaction_count: Nullable(I),
  transaction_volume: Nullable(N),
  error_rate: Nullable(N),
  active_connections: Nullable(I),
  queue_depth: Nullable(I),
  extra_metrics: z.unknown(),
});
export const ConfigChangeSchema = z.object({
  id: I,
  timestamp: S,
  entity_type: S,
  entity_id: S,
  parameter_name: S,
  old_value: z.unknown(),
  new_value: z.unknown(),
  changed_by: S,
  change_reason: Nullable(S),
  change_type: S,
  performance_before: z.unknown(),
  performance_after: z.unknown(),
  was_successful: Nullable(B),
  was_rolled_back: B,
  rollback_reason: Nullable(S),
  job_id: Nullable(S),
});
/** A `/site-schedules` row: the schedule as a site shows it, without the day's name. */
export const SiteScheduleSchema = ScheduleSchema.omit({ day_name: true }).extend({
  special_considerations: z.unknown(),
});
export const AuditLogSchema = z.object({
  id: I,
  created_at: S,
  event_type: S,
  description: Nullable(S),
  user_id: Nullable(I),
  username: Nullable(S),
  job_id: Nullable(I),
  device_id: Nullable(I),
  site_id: Nullable(I),
  old_values: z.unknown(),
  new_values: z.unknown(),
  event_metadata: z.unknown(),
  ip_address: Nullable(S),
  user_agent: Nullable(S),
});
export const HealthCheckSchema = z.object({
  id: I,
  timestamp: S,
  /** The device's device_id (string); `device_pk` is the devices.id the row references. */
  device_id: Nullable(S),
  device_pk: I,
  is_healthy: B,
  response_time_ms: Nullable(I),
  status_code: I,
  endpoint: Nullable(S),
  response_data: z.unknown(),
  error_message: Nullable(S),
});

/** A time-ordered list: `total` when asked for (include_total), `next_cursor` for the next page. */
const listResponse = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  listResult(key, item, { total: I.optional(), next_cursor: S.nullable() });
export const ApiRequestsResponse = listResponse("requests", ApiRequestSchema);
export const DeviceStatesResponse = listResponse("history", DeviceStateSchema);
export const JobOutcomesResponse = listResponse("outcomes", JobOutcomeSchema);
export const ErrorLogsResponse = listResponse("errors", ErrorLogSchema);
export const UserActivitiesResponse = listResponse("activities", UserActivitySchema);
export const DeviceMetricsResponse = listResponse("metrics", DeviceMetricSchema);
export const ConfigHistoryResponse = listResponse("history", ConfigChangeSchema);
export const SiteSchedulesResponse = listResponse("schedules", SiteScheduleSchema);
export const AuditLogsResponse = listResponse("audit_logs", AuditLogSchema);
export const HealthChecksResponse = listResponse("health_checks", HealthCheckSchema);

// ---------------------------------------------------------------- rollup summaries

const summaryShape = {
  bucket: z.enum(["hour", "day"]).default("hour"),
  start_date: IsoDate.optional(),
  end_date: IsoDate.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  order: z.enum(["asc", "desc"]).default("desc"),
};

export const DeviceMetricsSummaryQuery = z
  .object({
    ...summaryShape,
    device_id: DeviceFilter,
    site_id: SiteFilter,
    /** device rows, per-site rows, or the whole fleet; default: device when device_id is given, site when site_id is, else fleet. */
    scope: z.enum(["device", "site", "fleet"]).optional(),
  })
  .superRefine(checkRange);

export const MetricStats = z.object({
  avg: N.nullable(),
  min: N.nullable(),
  max: N.nullable(),
  p95: N.nullable(),
  n: I,
});
export const DeviceMetricsSummaryResponse = listResult(
  "summaries",
  z.object({
    bucket_start: S,
    device_id: S.nullable(),
    site_id: S.nullable(),
    samples: I,
    metrics: z.record(z.string(), MetricStats),
  }),
  { bucket: z.enum(["hour", "day"]), scope: z.enum(["device", "site", "fleet"]) },
);

export const ApiRequestsSummaryQuery = z
  .object({
    ...summaryShape,
    route: Text(255).optional(),
    method: HttpMethod.optional(),
    /** One row per route and method instead of the all-routes total. */
    by_route: QueryBool.optional(),
  })
  .superRefine(checkRange);

export const ApiRequestsSummaryResponse = listResult(
  "summaries",
  z.object({
    bucket_start: S,
    route: S,
    method: S,
    requests: I,
    errors: I,
    error_rate: N,
    p50_ms: N.nullable(),
    p95_ms: N.nullable(),
    avg_ms: N.nullable(),
    max_ms: N.nullable(),
  }),
  { bucket: z.enum(["hour", "day"]) },
);

// ---------------------------------------------------------------- validation report

/** The 14 tables of SPEC §2. */
export const ProductTable = z.enum(PRODUCT_TABLE_NAMES);

export const ValidationQuery = z.object({
  /** Comma-separated table names; default all 14. */
  tables: z
    .string()
    .trim()
    .max(1000)
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(ProductTable))
    .optional(),
});

export const ValidationReportSchema = z.object({
  generated_at: S,
  ready: B,
  /** not_ready counts every table that is not ready; no_rows_yet those of them that are sound but still empty. */
  summary: z.object({ tables: I, ready: I, not_ready: I, no_rows_yet: I }),
  tables: z.array(
    z.object({
      table: S,
      ready: B,
      /** no_rows_yet: sound but nothing collected yet (a fresh install), not a failure. */
      status: z.enum(["ready", "no_rows_yet", "not_ready"]),
      reasons: z.array(S),
      warnings: z.array(S),
      row_count: I,
      schema: z.object({
        ok: B,
        missing: z.array(S),
        mismatched: z.array(z.object({ column: S, expected: S, actual: S })),
        extra: z.array(S),
      }),
      columns: z.array(z.object({ name: S, type: S, required: B, nulls: I, null_rate: N })),
      freshness: z
        .object({ column: S, newest: S.nullable(), age_s: N.nullable(), max_age_s: N.nullable(), stale: B })
        .nullable(),
      violations: z.array(
        z.object({
          check: S,
          kind: z.enum(["range", "reference", "future", "null"]),
          severity: z.enum(["error", "warning"]),
          count: I,
          sample_ids: z.array(I),
        }),
      ),
    }),
  ),
});
export const ValidationResponse = dataResult(ValidationReportSchema);

// ---------------------------------------------------------------- export

export const ExportQuery = z
  .object({
    table: ProductTable,
    format: z.enum(["csv", "jsonl"]).default("csv"),
    start_date: IsoDate.optional(),
    end_date: IsoDate.optional(),
  })
  .superRefine(checkRange);
