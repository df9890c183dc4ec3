import { index, integer, json, pgTable, serial, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { devicePublicId, status, utc, utcNow } from "./columns.ts";

/** A notification pushed to one device and its delivery: sent → delivered | failed | expired. */
export const pushNotifications = pgTable(
  "push_notifications",
  {
    id: serial("id").primaryKey(),
    messageId: varchar("message_id", { length: 64 }).notNull(),
    deviceId: devicePublicId().notNull(),
    title: varchar("title", { length: 200 }).notNull(),
    body: text("body").notNull(),
    data: json("data"),
    ttlS: integer("ttl_s").notNull(),
    status: status("sent"),
    createdBy: varchar("created_by", { length: 100 }),
    sentAt: utcNow("sent_at"),
    expiresAt: utc("expires_at").notNull(),
    /** When the device picked it up (GET /push/pending hands each out once). */
    fetchedAt: utc("fetched_at"),
    /** When the device says it received it, and when the ack arrived. */
    receivedAt: utc("received_at"),
    ackedAt: utc("acked_at"),
    latencyMs: integer("latency_ms"),
    errorMessage: text("error_message"),
    /** The device, or the user whose token acknowledged it (the original's tools). */
    ackedBy: varchar("acked_by", { length: 100 }),
  },
  (t) => [
    uniqueIndex("push_notifications_message_id_uq").on(t.messageId),
    index("push_notifications_device_idx").on(t.deviceId, t.sentAt),
  ],
);
