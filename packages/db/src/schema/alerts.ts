import type { DeliveryEventValue, DeliveryStatusValue } from "@homepot/contracts/notifications";
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  serial,
  text,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import { authored, resolution, sitePublicId, status, textList, utc, utcNow } from "./columns.ts";
import { tenants } from "./tenants.ts";

/** The tenant owning a rule or channel; null: platform-wide (made by platform admins). */
const ownerTenant = () => integer("tenant_id").references(() => tenants.id, { onDelete: "cascade" });

/**
 * One alert: a condition of a rule on one device (or site), or an alert a device raised itself, or an anomaly.
 * Lifecycle open → acknowledged → resolved; `fingerprint` (rule + device + condition) deduplicates.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    createdAt: utcNow("created_at"),
    kind: varchar("kind", { length: 50 }).notNull(),
    severity: varchar("severity", { length: 20 }).notNull(),
    deviceId: varchar("device_id", { length: 255 }),
    siteId: sitePublicId(),
    title: text("title").notNull(),
    details: json("details"),
    /** Identifies the same ongoing condition, so it is not raised twice. */
    fingerprint: varchar("fingerprint", { length: 255 }).notNull(),
    ...resolution(),
    lastSeenAt: utcNow("last_seen_at"),
    score: doublePrecision("score"),
    occurrences: integer("occurrences").notNull().default(1),
    // Added with alert rules (issue 21).
    /** open | acknowledged | resolved (`resolved` mirrors the last). */
    status: status("open"),
    /** rule | anomaly | device: what raised it. */
    source: varchar("source", { length: 20 }).notNull().default("anomaly"),
    ruleId: integer("rule_id"),
    message: text("message"),
    acknowledgedAt: utc("acknowledged_at"),
    acknowledgedBy: varchar("acknowledged_by", { length: 255 }),
    resolutionNote: text("resolution_note"),
    /** How often it re-opened soon after resolving; from 3 on it is flapping and notifies no more. */
    flaps: integer("flaps").notNull().default(0),
    escalatedAt: utc("escalated_at"),
  },
  (t) => [
    index("alerts_open_idx").on(t.resolved, t.createdAt),
    index("alerts_fingerprint_idx").on(t.fingerprint, t.resolved),
    // One active alert per condition, even with several server instances raising it at once.
    uniqueIndex("alerts_active_fingerprint_uq").on(t.fingerprint).where(sql`resolved = false`),
    index("alerts_device_idx").on(t.deviceId, t.createdAt),
    index("alerts_status_idx").on(t.status, t.lastSeenAt),
    index("alerts_site_idx").on(t.siteId, t.status),
  ],
);

/** A condition to watch, its scope (sites, segments, tags, devices: empty = all), severity and message. */
export const alertRules = pgTable(
  "alert_rules",
  {
    id: serial("id").primaryKey(),
    name: varchar("name", { length: 120 }).notNull(),
    description: text("description"),
    enabled: boolean("enabled").notNull().default(true),
    /** Set on the built-in rules a new install starts with (they can be edited and disabled, not deleted). */
    builtinKey: varchar("builtin_key", { length: 50 }),
    /** A tenant's rule watches only that tenant's devices. */
    tenantId: ownerTenant(),
    /** device_offline | device_error | metric_threshold | anomaly | failure_risk | job_failed | command_expired | error_rate | collection_gap */
    type: varchar("type", { length: 30 }).notNull(),
    params: json("params").notNull(),
    scope: json("scope").notNull(),
    severity: varchar("severity", { length: 20 }).notNull(),
    messageTemplate: text("message_template"),
    ...authored(),
  },
  (t) => [
    uniqueIndex("alert_rules_builtin_uq").on(t.builtinKey).where(sql`builtin_key is not null`),
    index("alert_rules_tenant_idx").on(t.tenantId),
  ],
);

/** Where notifications go; `secret` is AES-GCM ciphertext of the channel's secrets (URL, signing key, password). */
export const notificationChannels = pgTable(
  "notification_channels",
  {
    id: serial("id").primaryKey(),
    /** A tenant's channel receives only alerts of that tenant's sites and devices. */
    tenantId: ownerTenant(),
    name: varchar("name", { length: 120 }).notNull(),
    /** webhook | slack | teams | email | mqtt */
    type: varchar("type", { length: 20 }).notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Settings that are not secret (recipients, topic, SMTP host…). */
    settings: json("settings").notNull(),
    secret: text("secret"),
    /** Lowest severity sent: info | warning | critical. */
    minSeverity: varchar("min_severity", { length: 20 }).notNull().default("warning"),
    /** Only alerts of these sites (empty = all). */
    siteIds: textList("site_ids"),
    /** "HH:MM" local times; between start and end nothing is sent (held until the end). */
    quietStart: varchar("quiet_start", { length: 5 }),
    quietEnd: varchar("quiet_end", { length: 5 }),
    /** IANA zone of the quiet hours and digest slots; null = the alert's site's zone (UTC for alerts without a site). */
    timezone: varchar("timezone", { length: 64 }),
    /** > 0: alerts are gathered and sent as one digest every that many minutes. */
    digestMinutes: integer("digest_minutes").notNull().default(0),
    /** > 0: an alert still open (not acknowledged) after that many minutes is sent again as escalated. */
    escalateAfterMinutes: integer("escalate_after_minutes").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    ...authored(),
  },
  (t) => [index("notification_channels_tenant_idx").on(t.tenantId)],
);

/** One message to one channel: pending → sent, or failed (retried with backoff) → dead after max attempts. */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channelId: integer("channel_id").notNull(),
    alertId: integer("alert_id"),
    event: varchar("event", { length: 20 }).$type<DeliveryEventValue>().notNull(),
    payload: json("payload").notNull(),
    status: status("pending").$type<DeliveryStatusValue>(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: utcNow("next_attempt_at"),
    lastError: text("last_error"),
    createdAt: utcNow("created_at"),
    sentAt: utc("sent_at"),
  },
  (t) => [
    index("notification_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("notification_deliveries_channel_idx").on(t.channelId, t.createdAt),
  ],
);
