import { doublePrecision, index, integer, json, pgTable, serial, text, varchar } from "drizzle-orm/pg-core";
import {
  deviceSeriesKeys,
  provenance,
  requestOrigin,
  resolution,
  seriesColumns,
  timeIndexes,
  timeSeriesKeys,
  utcNow,
} from "./columns.ts";

export const apiRequestLogs = pgTable(
  "api_request_logs",
  {
    ...seriesColumns("bigserial"),
    /** The real path requested (without the query string). */
    endpoint: varchar("endpoint", { length: 255 }).notNull(),
    method: varchar("method", { length: 10 }).notNull(),
    statusCode: integer("status_code").notNull(),
    responseTimeMs: doublePrecision("response_time_ms").notNull(),
    userId: varchar("user_id", { length: 255 }),
    ...requestOrigin(),
    errorMessage: text("error_message"),
    requestSizeBytes: integer("request_size_bytes"),
    responseSizeBytes: integer("response_size_bytes"),
    // Added: the route pattern (e.g. /api/v1/devices/:device_id) for grouping, and the calling device.
    route: varchar("route", { length: 255 }),
    deviceId: varchar("device_id", { length: 255 }),
  },
  (t) => timeSeriesKeys("api_request_logs", t, { endpoint: t.endpoint, user: t.userId, status: t.statusCode }),
);

export const userActivities = pgTable(
  "user_activities",
  {
    ...seriesColumns("bigserial"),
    userId: varchar("user_id", { length: 255 }).notNull(),
    sessionId: varchar("session_id", { length: 255 }),
    activityType: varchar("activity_type", { length: 50 }).notNull(),
    pageUrl: varchar("page_url", { length: 500 }),
    elementId: varchar("element_id", { length: 255 }),
    searchQuery: text("search_query"),
    extraData: json("extra_data"),
    durationMs: integer("duration_ms"),
  },
  (t) => timeSeriesKeys("user_activities", t, { user: t.userId, type: t.activityType }),
);

export const deviceStateHistory = pgTable(
  "device_state_history",
  {
    ...seriesColumns("serial"),
    deviceId: varchar("device_id", { length: 255 }).notNull(),
    previousState: varchar("previous_state", { length: 50 }),
    newState: varchar("new_state", { length: 50 }).notNull(),
    changedBy: varchar("changed_by", { length: 255 }).notNull(),
    reason: varchar("reason", { length: 500 }),
    extraData: json("extra_data"),
    provenance: provenance(),
  },
  (t) => deviceSeriesKeys("device_state_history", t),
);

export const jobOutcomes = pgTable(
  "job_outcomes",
  {
    id: serial("id").primaryKey(),
    timestamp: utcNow("timestamp"),
    jobId: varchar("job_id", { length: 255 }).notNull(),
    jobType: varchar("job_type", { length: 100 }),
    deviceId: varchar("device_id", { length: 255 }),
    status: varchar("status", { length: 50 }).notNull(),
    durationMs: integer("duration_ms"),
    errorCode: varchar("error_code", { length: 50 }),
    errorMessage: text("error_message"),
    retryCount: integer("retry_count").notNull().default(0),
    initiatedBy: varchar("initiated_by", { length: 255 }),
    extraData: json("extra_data"),
    provenance: provenance(),
  },
  (t) => [
    ...timeIndexes("job_outcomes", t.timestamp, { device: t.deviceId, status: t.status }),
    index("job_outcomes_job_idx").on(t.jobId),
  ],
);

export const errorLogs = pgTable(
  "error_logs",
  {
    ...seriesColumns("serial"),
    category: varchar("category", { length: 50 }).notNull(),
    severity: varchar("severity", { length: 20 }).notNull(),
    errorCode: varchar("error_code", { length: 50 }),
    errorMessage: text("error_message").notNull(),
    stackTrace: text("stack_trace"),
    endpoint: varchar("endpoint", { length: 255 }),
    userId: varchar("user_id", { length: 255 }),
    deviceId: varchar("device_id", { length: 255 }),
    context: json("context"),
    ...resolution(),
    provenance: provenance(),
  },
  (t) =>
    timeSeriesKeys("error_logs", t, {
      category: t.category,
      severity: t.severity,
      device: t.deviceId,
      resolved: t.resolved,
    }),
);
