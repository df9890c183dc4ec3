import type { LifecycleStateValue } from "@homepot/contracts/devices";
import type { LifecycleActionValue } from "@homepot/contracts/lifecycle";
import { sql } from "drizzle-orm";
import { index, json, pgTable, serial, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { devicePublicId, sitePublicId, utcNow } from "./columns.ts";

/** The contract's lifecycle actions (`LifecycleAction` of @homepot/contracts/lifecycle). */
export type LifecycleAction = LifecycleActionValue;

/**
 * One row per lifecycle transition of a device (who, why, from → to, which epoch), beside its
 * device_state_history row and audit entry. `idempotency_key` makes a repeated request a no-op.
 */
export const deviceLifecycleEvents = pgTable(
  "device_lifecycle_events",
  {
    id: serial("id").primaryKey(),
    timestamp: utcNow("timestamp"),
    deviceId: devicePublicId().notNull(),
    action: varchar("action", { length: 20 }).$type<LifecycleAction>().notNull(),
    fromState: varchar("from_state", { length: 20 }).$type<LifecycleStateValue>().notNull(),
    toState: varchar("to_state", { length: 20 }).$type<LifecycleStateValue>().notNull(),
    siteId: sitePublicId().notNull(),
    epochId: varchar("epoch_id", { length: 36 }),
    reason: text("reason"),
    changedBy: varchar("changed_by", { length: 255 }).notNull(),
    idempotencyKey: varchar("idempotency_key", { length: 100 }),
    extraData: json("extra_data"),
  },
  (t) => [
    index("device_lifecycle_events_device_ts_idx").on(t.deviceId, t.timestamp),
    uniqueIndex("device_lifecycle_events_idempotency_uq")
      .on(t.deviceId, t.action, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
  ],
);
