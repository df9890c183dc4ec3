import { index, json, pgTable, serial, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { devicePublicId, timestamps, utc, utcNow } from "./columns.ts";

/** Live log lines a device sends (`POST /agent/logs`), trimmed by retention like telemetry. */
export const deviceLogs = pgTable(
  "device_logs",
  {
    id: serial("id").primaryKey(),
    deviceId: devicePublicId().notNull(),
    /** When the device wrote the line (its own clock, bounded). */
    timestamp: utcNow("timestamp"),
    receivedAt: utcNow("received_at"),
    level: varchar("level", { length: 20 }).notNull(),
    category: varchar("category", { length: 50 }).notNull(),
    message: text("message").notNull(),
    context: json("context"),
  },
  (t) => [
    index("device_logs_device_ts_idx").on(t.deviceId, t.timestamp, t.id),
    index("device_logs_ts_idx").on(t.timestamp),
  ],
);

/** Work a device did on its own and reported (`POST /agent/jobs`, `PUT /agent/jobs/{job_id}`). */
export const deviceJobs = pgTable(
  "device_jobs",
  {
    id: serial("id").primaryKey(),
    jobId: varchar("job_id", { length: 64 }).notNull(),
    deviceId: devicePublicId().notNull(),
    action: varchar("action", { length: 200 }).notNull(),
    description: text("description"),
    priority: varchar("priority", { length: 20 }).notNull(),
    payload: json("payload"),
    /** pending → running → completed | failed */
    status: varchar("status", { length: 20 }).notNull(),
    result: json("result"),
    errorMessage: text("error_message"),
    startedAt: utc("started_at"),
    ...timestamps(),
    completedAt: utc("completed_at"),
  },
  (t) => [
    uniqueIndex("device_jobs_job_id_uq").on(t.jobId),
    index("device_jobs_device_idx").on(t.deviceId, t.createdAt),
  ],
);
