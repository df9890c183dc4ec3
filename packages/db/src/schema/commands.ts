import { index, integer, json, pgTable, serial, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { devicePublicId, jobPublicId, status, utc, utcNow } from "./columns.ts";

/** One instruction for one device: pending → sent → succeeded | failed | expired | cancelled. */
export const deviceCommands = pgTable(
  "device_commands",
  {
    id: serial("id").primaryKey(),
    commandId: varchar("command_id", { length: 64 }).notNull(),
    deviceId: devicePublicId().notNull(),
    commandType: varchar("command_type", { length: 50 }).notNull(),
    payload: json("payload"),
    status: status("pending"),
    createdBy: varchar("created_by", { length: 255 }),
    jobId: jobPublicId(),
    createdAt: utcNow("created_at"),
    sentAt: utc("sent_at"),
    ackedAt: utc("acked_at"),
    /** When the device started running it (its result stamps this too when it never said so). */
    executedAt: utc("executed_at"),
    completedAt: utc("completed_at"),
    expiresAt: utc("expires_at"),
    cancelledAt: utc("cancelled_at"),
    result: json("result"),
    errorMessage: text("error_message"),
    deliveryCount: integer("delivery_count").notNull().default(0),
  },
  (t) => [
    uniqueIndex("device_commands_command_id_uq").on(t.commandId),
    index("device_commands_device_status_idx").on(t.deviceId, t.status, t.createdAt),
    index("device_commands_job_idx").on(t.jobId),
    index("device_commands_status_expires_idx").on(t.status, t.expiresAt),
    // The fleet-wide command history pages newest first.
    index("device_commands_created_idx").on(t.createdAt),
  ],
);

/** Per-device progress of a job (which batch, which command, the outcome). */
export const jobDevices = pgTable(
  "job_devices",
  {
    id: serial("id").primaryKey(),
    jobId: jobPublicId().notNull(),
    deviceId: devicePublicId().notNull(),
    batch: integer("batch").notNull().default(0),
    status: status("pending"),
    commandId: varchar("command_id", { length: 64 }),
    attempts: integer("attempts").notNull().default(0),
    errorCode: varchar("error_code", { length: 50 }),
    errorMessage: text("error_message"),
    startedAt: utc("started_at"),
    finishedAt: utc("finished_at"),
  },
  (t) => [
    uniqueIndex("job_devices_job_device_uq").on(t.jobId, t.deviceId),
    index("job_devices_status_idx").on(t.status),
  ],
);

/** Small key/value state shared by every server instance (e.g. the device-key revocation epoch). */
export const appState = pgTable("app_state", {
  key: varchar("key", { length: 100 }).primaryKey(),
  value: json("value"),
  updatedAt: utcNow("updated_at"),
});
