import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  serial,
  text,
  time,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import {
  deviceSeriesKeys,
  jobPublicId,
  provenance,
  rollupBucket,
  seriesColumns,
  sitePublicId,
  timestamps,
  utc,
  utcNow,
} from "./columns.ts";

export const deviceMetrics = pgTable(
  "device_metrics",
  {
    ...seriesColumns("bigserial"),
    deviceId: varchar("device_id", { length: 255 }).notNull(),
    cpuPercent: doublePrecision("cpu_percent"),
    memoryPercent: doublePrecision("memory_percent"),
    diskPercent: doublePrecision("disk_percent"),
    networkLatencyMs: doublePrecision("network_latency_ms"),
    transactionCount: integer("transaction_count"),
    transactionVolume: doublePrecision("transaction_volume"),
    errorRate: doublePrecision("error_rate"),
    activeConnections: integer("active_connections"),
    queueDepth: integer("queue_depth"),
    extraMetrics: json("extra_metrics"),
    provenance: provenance(),
    /** The collection interval the device declared for this sample, in seconds (null: not declared). */
    collectionIntervalS: integer("collection_interval_s"),
  },
  (t) => deviceSeriesKeys("device_metrics", t),
);

export const configurationHistory = pgTable(
  "configuration_history",
  {
    id: serial("id").primaryKey(),
    timestamp: utcNow("timestamp"),
    entityType: varchar("entity_type", { length: 50 }).notNull(),
    entityId: varchar("entity_id", { length: 255 }).notNull(),
    parameterName: varchar("parameter_name", { length: 255 }).notNull(),
    oldValue: json("old_value"),
    newValue: json("new_value"),
    changedBy: varchar("changed_by", { length: 255 }).notNull(),
    changeReason: text("change_reason"),
    changeType: varchar("change_type", { length: 50 }).notNull(),
    performanceBefore: json("performance_before"),
    performanceAfter: json("performance_after"),
    wasSuccessful: boolean("was_successful"),
    wasRolledBack: boolean("was_rolled_back").notNull().default(false),
    // Added (seed v2): why it was rolled back; the job it came from; when to measure performance_after.
    rollbackReason: text("rollback_reason"),
    jobId: jobPublicId(),
    evaluateAfter: utc("evaluate_after"),
    provenance: provenance(),
  },
  (t) => [
    index("configuration_history_entity_ts_idx").on(t.entityType, t.entityId, t.timestamp),
    index("configuration_history_ts_idx").on(t.timestamp),
    index("configuration_history_pending_eval_idx").on(t.evaluateAfter),
  ],
);

export const siteOperatingSchedules = pgTable(
  "site_operating_schedules",
  {
    id: serial("id").primaryKey(),
    siteId: varchar("site_id", { length: 255 }).notNull(),
    dayOfWeek: integer("day_of_week").notNull(),
    openTime: time("open_time"),
    closeTime: time("close_time"),
    isClosed: boolean("is_closed").notNull().default(false),
    isMaintenanceWindow: boolean("is_maintenance_window").notNull().default(false),
    expectedTransactionVolume: integer("expected_transaction_volume"),
    peakHoursStart: time("peak_hours_start"),
    peakHoursEnd: time("peak_hours_end"),
    notes: text("notes"),
    specialConsiderations: json("special_considerations"),
    // Added.
    ...timestamps(),
  },
  (t) => [uniqueIndex("site_operating_schedules_site_day_uq").on(t.siteId, t.dayOfWeek)],
);

/**
 * Hourly and daily aggregates of device_metrics, per device (`scope` device: device_id and its site_id), per
 * site (site: site_id) and for the whole fleet (fleet); they outlive the raw rows.
 */
export const deviceMetricRollups = pgTable(
  "device_metric_rollups",
  {
    ...rollupBucket(),
    // The default only gives rows older than this column a scope; the rollup job always writes it.
    scope: varchar("scope", { length: 8 }).$type<"device" | "site" | "fleet">().notNull().default("device"),
    deviceId: varchar("device_id", { length: 255 }),
    siteId: sitePublicId(),
    samples: integer("samples").notNull(),
    stats: json("stats").notNull(),
    updatedAt: utcNow("updated_at"),
  },
  (t) => [
    // One row per device, per site and for the fleet in each bucket; each scope is its own upsert target.
    uniqueIndex("device_metric_rollups_device_uq").on(t.bucket, t.deviceId, t.bucketStart).where(sql`scope = 'device'`),
    uniqueIndex("device_metric_rollups_site_uq").on(t.bucket, t.siteId, t.bucketStart).where(sql`scope = 'site'`),
    uniqueIndex("device_metric_rollups_fleet_uq").on(t.bucket, t.bucketStart).where(sql`scope = 'fleet'`),
    index("device_metric_rollups_site_idx").on(t.bucket, t.siteId, t.bucketStart),
    index("device_metric_rollups_start_idx").on(t.bucket, t.bucketStart),
    check(
      "device_metric_rollups_scope_ck",
      sql`scope in ('device', 'site', 'fleet') and (scope = 'device') = (device_id is not null)
        and (scope <> 'site' or site_id is not null) and (scope <> 'fleet' or site_id is null)`,
    ),
  ],
);

/**
 * The Overview's fleet series per site and ended bucket (hour or day), so a chart of a large fleet does not re-read
 * raw history: devices that reported (a health report or metrics), devices that reported unhealthy, error logs of
 * severity error or critical, and transactions. `site_id` '' holds what belongs to no known site. Rewritten when
 * late rows arrive; the bucket in progress is counted live.
 */
export const fleetActivityRollups = pgTable(
  "fleet_activity_rollups",
  {
    ...rollupBucket(),
    siteId: sitePublicId().notNull(),
    devicesReporting: integer("devices_reporting").notNull(),
    devicesUnhealthy: integer("devices_unhealthy").notNull(),
    errors: integer("errors").notNull(),
    transactions: doublePrecision("transactions").notNull(),
    updatedAt: utcNow("updated_at"),
  },
  (t) => [
    primaryKey({ columns: [t.bucket, t.bucketStart, t.siteId] }),
    check("fleet_activity_rollups_bucket_ck", sql`bucket in ('hour', 'day')`),
  ],
);

/** Hourly and daily aggregates of api_request_logs per route. */
export const apiRequestRollups = pgTable(
  "api_request_rollups",
  {
    ...rollupBucket(),
    route: varchar("route", { length: 255 }).notNull(),
    method: varchar("method", { length: 10 }).notNull(),
    requests: integer("requests").notNull(),
    errors: integer("errors").notNull(),
    p50Ms: doublePrecision("p50_ms"),
    p95Ms: doublePrecision("p95_ms"),
    avgMs: doublePrecision("avg_ms"),
    maxMs: doublePrecision("max_ms"),
    updatedAt: utcNow("updated_at"),
  },
  (t) => [
    uniqueIndex("api_request_rollups_pk").on(t.bucket, t.route, t.method, t.bucketStart),
    index("api_request_rollups_start_idx").on(t.bucket, t.bucketStart),
  ],
);

/**
 * The live streaming detector's alarms (insights/live-anomalies.ts), one row per device, metric and sample time:
 * what it saw, what it expected, how surprising. Written as they are raised, so they survive a restart and every
 * server instance lists the same ones.
 */
export const liveAnomalies = pgTable(
  "live_anomalies",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deviceId: varchar("device_id", { length: 255 }).notNull(),
    metric: varchar("metric", { length: 50 }).notNull(),
    at: utc("at").notNull(),
    value: doublePrecision("value").notNull(),
    expected: doublePrecision("expected").notNull(),
    expectedLow: doublePrecision("expected_low").notNull(),
    expectedHigh: doublePrecision("expected_high").notNull(),
    /** Anomaly score in [0, 1], the z-score behind it, and the detector's view that raised it. */
    score: doublePrecision("score").notNull(),
    z: doublePrecision("z").notNull(),
    basis: varchar("basis", { length: 20 }).notNull(),
  },
  (t) => [
    uniqueIndex("live_anomalies_device_metric_at_uq").on(t.deviceId, t.metric, t.at),
    index("live_anomalies_at_idx").on(t.at),
  ],
);
