import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, serial, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { devicePublicId, sha256Hex, sitePublicId, status, timestamps, utc, utcNow } from "./columns.ts";
import { devices } from "./core.ts";
import { createdByUser } from "./references.ts";

/**
 * A slot an operator pre-provisions at a site; a device redeems its one-time claim token (only the
 * token's SHA-256 is kept). Status: pending (awaits approval) | approved (claimable) | consumed |
 * rejected | revoked; an unconsumed intent past `expires_at` is expired.
 */
export const enrolmentIntents = pgTable(
  "enrolment_intents",
  {
    id: serial("id").primaryKey(),
    intentId: varchar("intent_id", { length: 36 }).notNull(),
    siteId: sitePublicId().notNull(),
    deviceName: varchar("device_name", { length: 100 }),
    deviceType: varchar("device_type", { length: 50 }).notNull().default("pos_terminal"),
    enrolmentMethod: varchar("enrolment_method", { length: 30 }).notNull().default("pre-provisioned"),
    /** When set, only a device reporting this identity (serial, machine id) may claim. */
    expectedDeviceIdentity: varchar("expected_device_identity", { length: 200 }),
    claimTokenHash: sha256Hex("claim_token_hash").notNull(),
    claimTokenPrefix: varchar("claim_token_prefix", { length: 24 }).notNull(),
    status: status("approved").$type<"pending" | "approved" | "consumed" | "rejected" | "revoked">(),
    requiresApproval: boolean("requires_approval").notNull().default(false),
    statusReason: text("status_reason"),
    expiresAt: utc("expires_at").notNull(),
    consumedAt: utc("consumed_at"),
    /** The device the claim created. */
    deviceId: devicePublicId(),
    failedClaims: integer("failed_claims").notNull().default(0),
    createdBy: createdByUser(),
    idempotencyKey: varchar("idempotency_key", { length: 100 }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("enrolment_intents_intent_id_uq").on(t.intentId),
    uniqueIndex("enrolment_intents_idempotency_uq").on(t.idempotencyKey),
    index("enrolment_intents_site_created_idx").on(t.siteId, t.createdAt),
    index("enrolment_intents_status_expires_idx").on(t.status, t.expiresAt),
  ],
);

/**
 * Each period of a device's life at one site (claim, bootstrap, registration, re-enrolment, transfer),
 * so analytics can tell "before and after". The open epoch has no `ended_at`.
 */
export const deviceEpochs = pgTable(
  "device_epochs",
  {
    id: varchar("id", { length: 36 }).primaryKey(),
    deviceId: integer("device_id")
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    siteId: sitePublicId().notNull(),
    startedAt: utcNow("started_at"),
    endedAt: utc("ended_at"),
    reason: text("reason"),
  },
  (t) => [
    index("device_epochs_device_started_idx").on(t.deviceId, t.startedAt),
    // A device has at most one open epoch.
    uniqueIndex("device_epochs_open_uq").on(t.deviceId).where(sql`${t.endedAt} is null`),
  ],
);
