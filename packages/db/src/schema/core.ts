import type { LifecycleStateValue } from "@homepot/contracts/devices";
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  json,
  pgTable,
  serial,
  text,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import {
  devicePublicId,
  deviceSeriesKeys,
  jobPublicId,
  releasePublicId,
  requestOrigin,
  role,
  sha256Hex,
  sitePublicId,
  status,
  textList,
  timestamps,
  utc,
  utcNow,
} from "./columns.ts";

export const sites = pgTable(
  "sites",
  {
    id: serial("id").primaryKey(),
    siteId: sitePublicId().notNull(),
    name: varchar("name", { length: 100 }).notNull(),
    description: text("description"),
    location: varchar("location", { length: 200 }),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: utcNow("created_at"),
    // Added: IANA zone the operating schedule's local times are in.
    timezone: varchar("timezone", { length: 64 }).notNull().default("UTC"),
    updatedAt: utcNow("updated_at"),
    /** The site's reusable provisioning key: only its SHA-256 is kept; shown once when generated. */
    bootstrapKeyHash: sha256Hex("bootstrap_key_hash"),
    bootstrapKeyPrefix: varchar("bootstrap_key_prefix", { length: 24 }),
    bootstrapKeyCreatedAt: utc("bootstrap_key_created_at"),
    bootstrapKeyExpiresAt: utc("bootstrap_key_expires_at"),
    /** Null = unlimited. */
    bootstrapKeyMaxUses: integer("bootstrap_key_max_uses"),
    bootstrapKeyUses: integer("bootstrap_key_uses").notNull().default(0),
    /** Self-provisioned devices wait in lifecycle `pending` until an operator approves them. */
    requireDeviceApproval: boolean("require_device_approval").notNull().default(false),
    /** active | archived (hidden, data kept, devices suspended; restore brings it back). */
    lifecycleState: varchar("lifecycle_state", { length: 20 })
      .$type<"active" | "archived">()
      .notNull()
      .default("active"),
    archivedAt: utc("archived_at"),
    /**
     * The tenant owning the site (tenants.id; the foreign key is declared in migration 0023, which also made the
     * default tenant, id 1: a site created without a tenant belongs to it).
     */
    tenantId: integer("tenant_id").notNull().default(1),
  },
  (t) => [uniqueIndex("sites_site_id_uq").on(t.siteId), index("sites_tenant_idx").on(t.tenantId)],
);

export const devices = pgTable(
  "devices",
  {
    id: serial("id").primaryKey(),
    deviceId: devicePublicId().notNull(),
    name: varchar("name", { length: 100 }).notNull(),
    deviceType: varchar("device_type", { length: 50 }).notNull(),
    status: status("offline"),
    siteId: varchar("site_id", { length: 20 }).notNull(),
    ipAddress: varchar("ip_address", { length: 45 }),
    config: json("config"),
    isActive: boolean("is_active").notNull().default(true),
    lastSeen: utc("last_seen"),
    // Added columns.
    segment: varchar("segment", { length: 100 }).notNull().default("pos-terminals"),
    isSimulated: boolean("is_simulated").notNull().default(false),
    configVersion: varchar("config_version", { length: 50 }),
    firmwareVersion: varchar("firmware_version", { length: 50 }),
    /** Installed software version (the device's app, e.g. the POS app), reported by its agent. */
    softwareVersion: varchar("software_version", { length: 50 }),
    /** SHA-256 (hex) of the device's API key; the key itself is never stored. */
    apiKeyHash: sha256Hex("api_key_hash"),
    /** First characters of the key, for recognising it in the UI without revealing it. */
    apiKeyPrefix: varchar("api_key_prefix", { length: 24 }),
    apiKeyCreatedAt: utc("api_key_created_at"),
    /** After a rotation the previous key keeps working until `previous_api_key_expires_at`. */
    previousApiKeyHash: sha256Hex("previous_api_key_hash"),
    previousApiKeyExpiresAt: utc("previous_api_key_expires_at"),
    /** Free labels set by operators (lowercase), usable as job targets and list filters. */
    tags: textList("tags"),
    ...timestamps(),
    /** pending (waits for approval; its key only registers) | active | suspended | unpaired. */
    lifecycleState: varchar("lifecycle_state", { length: 20 }).$type<LifecycleStateValue>().notNull().default("active"),
    /** How it joined: manual | claim | bootstrap. */
    enrolmentMethod: varchar("enrolment_method", { length: 20 }).notNull().default("manual"),
    /** Stable hardware identity the device reports (machine-id based), matched by claim intents. */
    machineId: varchar("machine_id", { length: 200 }),
    // Device DNA: the facts people filter on are columns, the rest is JSON.
    macAddress: varchar("mac_address", { length: 17 }),
    localIp: varchar("local_ip", { length: 45 }),
    wanIp: varchar("wan_ip", { length: 45 }),
    osFamily: varchar("os_family", { length: 20 }),
    osVersion: varchar("os_version", { length: 100 }),
    osDetails: varchar("os_details", { length: 200 }),
    hardwareVendor: varchar("hardware_vendor", { length: 100 }),
    hardwareModel: varchar("hardware_model", { length: 100 }),
    agentVersion: varchar("agent_version", { length: 50 }),
    hardware: json("hardware"),
    peripherals: json("peripherals"),
    dnaUpdatedAt: utc("dna_updated_at"),
    /** healthy | warning | error | maintenance, from the device's last health report (or an operator). */
    healthState: varchar("health_state", { length: 20 })
      .$type<"healthy" | "warning" | "error" | "maintenance">()
      .notNull()
      .default("healthy"),
  },
  (t) => [
    uniqueIndex("devices_device_id_uq").on(t.deviceId),
    // Names are unique per site, case-insensitively, among devices not deleted.
    uniqueIndex("devices_site_name_uq").on(t.siteId, sql`lower(${t.name})`).where(sql`${t.isActive}`),
    index("devices_lifecycle_idx").on(t.lifecycleState),
    index("devices_os_family_idx").on(t.osFamily),
    index("devices_site_idx").on(t.siteId, t.isActive),
    index("devices_status_idx").on(t.status),
    index("devices_last_seen_idx").on(t.lastSeen),
    index("devices_tags_idx").using("gin", t.tags),
    index("devices_firmware_idx").on(t.firmwareVersion),
    index("devices_software_idx").on(t.softwareVersion),
  ],
);

export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    username: varchar("username", { length: 50 }).notNull(),
    email: varchar("email", { length: 100 }).notNull(),
    hashedPassword: varchar("hashed_password", { length: 255 }).notNull(),
    /** Kept for compatibility with the original schema; we never store a usable key here. */
    apiKey: varchar("api_key", { length: 255 }),
    isActive: boolean("is_active").notNull().default(true),
    isAdmin: boolean("is_admin").notNull().default(false),
    createdAt: utcNow("created_at"),
    // Added columns.
    fullName: varchar("full_name", { length: 100 }),
    role: role().default("viewer"),
    lastLoginAt: utc("last_login_at"),
    updatedAt: utcNow("updated_at"),
    /** Carried in every token; bumped by logout, password reset, disabling, so older tokens stop working. */
    tokenVersion: integer("token_version").notNull().default(0),
    /** The single sign-on identity (OpenID Connect issuer + subject) this account is linked to, if any. */
    oidcIssuer: varchar("oidc_issuer", { length: 255 }),
    oidcSubject: varchar("oidc_subject", { length: 255 }),
  },
  (t) => [
    uniqueIndex("users_email_uq").on(sql`lower(${t.email})`),
    uniqueIndex("users_username_uq").on(sql`lower(${t.username})`),
    uniqueIndex("users_oidc_uq").on(t.oidcIssuer, t.oidcSubject),
  ],
);

export const jobs = pgTable(
  "jobs",
  {
    id: serial("id").primaryKey(),
    jobId: jobPublicId().notNull(),
    action: varchar("action", { length: 100 }).notNull(),
    status: status("pending"),
    priority: varchar("priority", { length: 20 }).notNull().default("normal"),
    siteId: integer("site_id").references(() => sites.id),
    segment: varchar("segment", { length: 100 }),
    payload: json("payload"),
    configUrl: varchar("config_url", { length: 500 }),
    configVersion: varchar("config_version", { length: 50 }),
    errorMessage: text("error_message"),
    createdAt: utcNow("created_at"),
    completedAt: utc("completed_at"),
    // Added columns.
    jobType: varchar("job_type", { length: 50 }).notNull().default("config_update"),
    description: text("description"),
    createdBy: integer("created_by").references(() => users.id),
    deviceIds: json("device_ids"),
    scheduledAt: utc("scheduled_at"),
    rollout: json("rollout"),
    startedAt: utc("started_at"),
    /** Orchestrator instance holding the job, and its heartbeat, so a dead instance's job is resumed. */
    claimedBy: varchar("claimed_by", { length: 100 }),
    heartbeatAt: utc("heartbeat_at"),
    /** software_update / firmware_update jobs: the release they install (releases.release_id). */
    releaseId: releasePublicId(),
    attempts: integer("attempts").notNull().default(0),
    updatedAt: utcNow("updated_at"),
  },
  (t) => [
    uniqueIndex("jobs_job_id_uq").on(t.jobId),
    index("jobs_status_sched_idx").on(t.status, t.scheduledAt),
    index("jobs_site_created_idx").on(t.siteId, t.createdAt),
    index("jobs_created_idx").on(t.createdAt),
    index("jobs_release_idx").on(t.releaseId),
  ],
);

export const healthChecks = pgTable(
  "health_checks",
  {
    // bigserial: this table grows with every report of every device.
    id: bigserial("id", { mode: "number" }).notNull(),
    deviceId: integer("device_id")
      .notNull()
      .references(() => devices.id),
    isHealthy: boolean("is_healthy").notNull(),
    responseTimeMs: integer("response_time_ms"),
    statusCode: integer("status_code").notNull(),
    endpoint: varchar("endpoint", { length: 200 }),
    responseData: json("response_data"),
    errorMessage: text("error_message"),
    timestamp: utcNow("timestamp"),
  },
  (t) => deviceSeriesKeys("health_checks", t),
);

export const auditLogs = pgTable(
  "audit_logs",
  {
    id: serial("id").primaryKey(),
    createdAt: utcNow("created_at"),
    eventType: varchar("event_type", { length: 50 }).notNull(),
    description: text("description"),
    userId: integer("user_id"),
    jobId: integer("job_id"),
    deviceId: integer("device_id"),
    siteId: integer("site_id"),
    oldValues: json("old_values"),
    newValues: json("new_values"),
    eventMetadata: json("event_metadata"),
    ...requestOrigin(),
  },
  (t) => [
    index("audit_logs_created_idx").on(t.createdAt),
    index("audit_logs_event_created_idx").on(t.eventType, t.createdAt),
    index("audit_logs_user_created_idx").on(t.userId, t.createdAt),
    index("audit_logs_device_created_idx").on(t.deviceId, t.createdAt),
  ],
);
