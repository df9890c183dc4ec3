import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { type OidcConfig, oidcConfig, oidcEnv } from "./config-oidc.ts";

const onOff = z
  .enum(["on", "off", "true", "false", "1", "0"])
  .transform((v) => v === "on" || v === "true" || v === "1");

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  HOMEPOT_READ_MAX_LAG_S: z.coerce.number().min(0).max(86_400).default(30),
  HOMEPOT_DATA_DIR: z.string().min(1).default("./data"),
  HOMEPOT_SIMULATOR: onOff.default(true),
  HOMEPOT_SIMULATED_DEVICES: z.coerce.number().int().min(0).max(100_000).default(12),
  HOMEPOT_SIMULATOR_INTERVAL_S: z.coerce.number().min(1).max(3600).default(30),
  HOMEPOT_JOB_COMMAND_TIMEOUT_S: z.coerce.number().min(1).max(86_400).default(300),
  HOMEPOT_JOB_RETRIES: z.coerce.number().int().min(0).max(10).default(1),
  HOMEPOT_CONFIG_SETTLE_S: z.coerce.number().min(0).max(86_400).default(60),
  HOMEPOT_ADMIN_EMAIL: z.string().email().optional(),
  HOMEPOT_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  HOMEPOT_RESET_ADMIN_PASSWORD: onOff.default(false),
  HOMEPOT_SIGNUP: z.enum(["open", "invite", "off"]).default("invite"),
  HOMEPOT_FIRST_SIGNUP_ADMIN: onOff.default(false),
  HOMEPOT_TRUSTED_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim().replace(/\/+$/, ""))
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/]+$/, "each must be an origin like https://homepot.example.com")))
    .default([]),
  HOMEPOT_INVITE_TTL_H: z.coerce
    .number()
    .min(1)
    .max(24 * 90)
    .default(72),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Secret the notification channels' secrets are encrypted with (derived key); else generated in the data dir. */
  HOMEPOT_CHANNEL_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /** Commands (terminal input included) one user may queue a minute, on top of the login and device-auth limits. */
  HOMEPOT_COMMAND_RATE_PER_MIN: z.coerce.number().int().min(1).max(100_000).default(120),
  JWT_TTL_S: z.coerce
    .number()
    .int()
    .min(60)
    .default(15 * 60),
  /** Days a sign-in lasts at most: the dashboard refreshes its 15-minute access token silently until then. */
  HOMEPOT_SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|wss?|tcp):\/\//, "must be an mqtt:// URL")
    .optional(),
  MQTT_USERNAME: z.string().min(1).max(256).optional(),
  MQTT_PASSWORD: z.string().min(1).max(1024).optional(),
  HOMEPOT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  HOMEPOT_OFFLINE_AFTER_S: z.coerce.number().int().min(5).default(300),
  HOMEPOT_INSIGHTS_REUSE_S: z.coerce.number().int().min(0).max(3600).default(60),
  HOMEPOT_INSIGHTS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  HOMEPOT_INSIGHTS_PROCESS: z.enum(["on", "off"]).default("on"),
  HOMEPOT_PG_PORT: z.coerce.number().int().min(0).max(65535).default(5433),
  HOMEPOT_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  HOMEPOT_LOG_FORMAT: z.enum(["auto", "json", "pretty"]).default("auto"),
  HOMEPOT_KEY_GRACE_S: z.coerce
    .number()
    .int()
    .min(0)
    .default(24 * 3600),
  HOMEPOT_ERROR_INTAKE_ROWS_PER_HOUR: z.coerce.number().int().min(1).default(2000),
  HOMEPOT_ERROR_INTAKE_MB_PER_HOUR: z.coerce.number().min(0.001).default(20),
  HOMEPOT_RELEASE_MAX_MB: z.coerce.number().min(0.001).default(2048),
  HOMEPOT_RELEASE_QUOTA_MB: z.coerce.number().min(0.001).default(20_480),
  HOMEPOT_RELEASE_SITE_KBPS: z.coerce.number().min(0).default(0),
  HOMEPOT_RELEASE_KEY: z.string().min(1).optional(),
  HOMEPOT_RELEASE_TRUSTED_KEYS: z.string().min(1).optional(),
  HOMEPOT_LLM_URL: z
    .string()
    .regex(/^https?:\/\//, "must be an http(s):// URL of an OpenAI-compatible server")
    .optional(),
  HOMEPOT_LLM_MODEL: z.string().min(1).max(200).optional(),
  HOMEPOT_LLM_API_KEY: z.string().min(1).max(1000).optional(),
  HOMEPOT_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  NODE_ENV: z.string().default("development"),
  ...oidcEnv,
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** A streaming replica of DATABASE_URL for lag-tolerant reads (analytics, insights, exports, summaries). */
  databaseReadUrl: string | undefined;
  /** Seconds a replica may be behind before reads fall back to the primary. */
  readMaxLagS: number;
  dataDir: string;
  simulator: boolean;
  simulatedDevices: number;
  /** Seconds between two health reports of one simulated device. */
  simulatorIntervalS: number;
  /** How long the orchestrator waits for one device command's result, seconds. */
  jobCommandTimeoutS: number;
  /** Extra attempts per device after a failed or timed-out command. */
  jobRetries: number;
  /** Settling period after a device applies a config before performance_after is measured, seconds. */
  configSettleS: number;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** Set HOMEPOT_ADMIN_EMAIL's existing account's password to HOMEPOT_ADMIN_PASSWORD instead of refusing to start. */
  resetAdminPassword: boolean;
  /** Who may sign up: anyone (`open`), holders of an admin's invitation (`invite`), nobody (`off`). */
  signup: "open" | "invite" | "off";
  /** While no admin exists, the first sign-up (no invitation needed) becomes admin. */
  firstSignupAdmin: boolean;
  /** Origins besides the server's own whose pages may send cookie-authenticated writes (a reverse proxy's URL). */
  trustedOrigins: string[];
  /** Hours an invitation stays usable. */
  inviteTtlH: number;
  jwtSecret: string;
  jwtTtlS: number;
  /** Days a session (a sign-in and its rotating refresh token) lasts at most. */
  sessionTtlDays: number;
  /** Commands one user may queue a minute (HOMEPOT_COMMAND_RATE_PER_MIN); beyond, 429. */
  commandRatePerMin: number;
  /** Server secret the channel secrets' AES-GCM key is derived from. */
  channelKey: string;
  mqttUrl: string | undefined;
  /** Broker login of the server (MQTT_USERNAME / MQTT_PASSWORD); the broker's ACL lets it publish nudges. */
  mqttUsername: string | undefined;
  mqttPassword: string | undefined;
  retentionDays: number;
  offlineAfterS: number;
  /** How long a whole-fleet insight that was slow to compute (≥ 2 s) is reused (HOMEPOT_INSIGHTS_REUSE_S; 0: never). */
  insightsReuseS: number;
  /** How many whole-fleet insight computations run at once (HOMEPOT_INSIGHTS_CONCURRENCY); the rest wait their turn. */
  insightsConcurrency: number;
  /**
   * On PostgreSQL, whole-fleet insights run in a helper process at a lower CPU priority (HOMEPOT_INSIGHTS_PROCESS),
   * so scoring 100 000 devices never holds up the server's requests; off: in the server's own thread.
   */
  insightsProcess: boolean;
  /** Optional LLM for free-form Ask HOMEPOT questions (both URL and model set), else null. */
  llm: { url: string; model: string; apiKey: string | undefined; timeoutMs: number } | null;
  pgPort: number;
  logLevel: z.infer<typeof envSchema>["HOMEPOT_LOG_LEVEL"];
  /** JSON lines for machines; `auto` = readable lines when stdout is a terminal, JSON otherwise. */
  logFormat: z.infer<typeof envSchema>["HOMEPOT_LOG_FORMAT"];
  keyGraceS: number;
  /** Error reports (POST /analytics/errors) accepted per source and hour: rows, and bytes of request body. */
  errorIntakeRowsPerHour: number;
  errorIntakeBytesPerHour: number;
  /** Release repository: largest artifact and total storage (bytes), per-site download rate (bytes/s, 0 = unlimited). */
  releaseMaxBytes: number;
  releaseQuotaBytes: number;
  releaseSiteBytesPerS: number;
  /** PEM file of the server's Ed25519 release key (default: generated in the data dir on first use). */
  releaseKeyFile: string | undefined;
  /** File of PEM public keys whose offline signatures (homepot release sign) the server accepts. */
  releaseTrustedKeysFile: string | undefined;
  /** Single sign-on with an OpenID Connect provider (HOMEPOT_OIDC_*), or null when off. */
  oidc: OidcConfig | null;
  production: boolean;
}

export class ConfigError extends Error {}

/** Reads the environment once; a wrong value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  if (production && !e.JWT_SECRET)
    throw new ConfigError("Invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production");
  if ((e.HOMEPOT_ADMIN_EMAIL === undefined) !== (e.HOMEPOT_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError("Invalid configuration:\n  HOMEPOT_ADMIN_EMAIL and HOMEPOT_ADMIN_PASSWORD go together");
  }
  if (e.DATABASE_READ_URL && !e.DATABASE_URL)
    throw new ConfigError("Invalid configuration:\n  DATABASE_READ_URL: needs DATABASE_URL (a replica of that server)");
  const oidc = oidcConfig(e, { host: e.HOST, port: e.PORT, trustedOrigins: e.HOMEPOT_TRUSTED_ORIGINS });
  if (Array.isArray(oidc)) throw new ConfigError(`Invalid configuration:\n${oidc.map((p) => `  ${p}`).join("\n")}`);
  const dataDir = resolve(e.HOMEPOT_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    readMaxLagS: e.HOMEPOT_READ_MAX_LAG_S,
    dataDir,
    simulator: e.HOMEPOT_SIMULATOR,
    simulatedDevices: e.HOMEPOT_SIMULATED_DEVICES,
    simulatorIntervalS: e.HOMEPOT_SIMULATOR_INTERVAL_S,
    jobCommandTimeoutS: e.HOMEPOT_JOB_COMMAND_TIMEOUT_S,
    jobRetries: e.HOMEPOT_JOB_RETRIES,
    configSettleS: e.HOMEPOT_CONFIG_SETTLE_S,
    adminEmail: e.HOMEPOT_ADMIN_EMAIL,
    adminPassword: e.HOMEPOT_ADMIN_PASSWORD,
    resetAdminPassword: e.HOMEPOT_RESET_ADMIN_PASSWORD,
    signup: e.HOMEPOT_SIGNUP,
    firstSignupAdmin: e.HOMEPOT_FIRST_SIGNUP_ADMIN,
    inviteTtlH: e.HOMEPOT_INVITE_TTL_H,
    trustedOrigins: e.HOMEPOT_TRUSTED_ORIGINS,
    jwtSecret: e.JWT_SECRET ?? localSecret(dataDir, "jwt-secret"),
    jwtTtlS: e.JWT_TTL_S,
    sessionTtlDays: e.HOMEPOT_SESSION_TTL_DAYS,
    commandRatePerMin: e.HOMEPOT_COMMAND_RATE_PER_MIN,
    channelKey: e.HOMEPOT_CHANNEL_KEY ?? localSecret(dataDir, "channel-key"),
    mqttUrl: e.MQTT_URL,
    mqttUsername: e.MQTT_USERNAME,
    mqttPassword: e.MQTT_PASSWORD,
    retentionDays: e.HOMEPOT_RETENTION_DAYS,
    offlineAfterS: e.HOMEPOT_OFFLINE_AFTER_S,
    insightsReuseS: e.HOMEPOT_INSIGHTS_REUSE_S,
    insightsConcurrency: e.HOMEPOT_INSIGHTS_CONCURRENCY,
    insightsProcess: e.HOMEPOT_INSIGHTS_PROCESS === "on",
    llm:
      e.HOMEPOT_LLM_URL && e.HOMEPOT_LLM_MODEL
        ? {
            url: e.HOMEPOT_LLM_URL,
            model: e.HOMEPOT_LLM_MODEL,
            apiKey: e.HOMEPOT_LLM_API_KEY,
            timeoutMs: e.HOMEPOT_LLM_TIMEOUT_MS,
          }
        : null,
    pgPort: e.HOMEPOT_PG_PORT,
    logLevel: e.HOMEPOT_LOG_LEVEL,
    logFormat: e.HOMEPOT_LOG_FORMAT,
    keyGraceS: e.HOMEPOT_KEY_GRACE_S,
    errorIntakeRowsPerHour: e.HOMEPOT_ERROR_INTAKE_ROWS_PER_HOUR,
    errorIntakeBytesPerHour: Math.round(e.HOMEPOT_ERROR_INTAKE_MB_PER_HOUR * 1024 * 1024),
    releaseMaxBytes: Math.round(e.HOMEPOT_RELEASE_MAX_MB * 1024 * 1024),
    releaseQuotaBytes: Math.round(e.HOMEPOT_RELEASE_QUOTA_MB * 1024 * 1024),
    releaseSiteBytesPerS: Math.round(e.HOMEPOT_RELEASE_SITE_KBPS * 1024),
    releaseKeyFile: e.HOMEPOT_RELEASE_KEY,
    releaseTrustedKeysFile: e.HOMEPOT_RELEASE_TRUSTED_KEYS,
    oidc,
    production,
  };
}

/** Creates `dir` if needed and makes it private to this user (0700): the data dir holds secrets and the database. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch (error) {
    // A folder owned by someone else (EPERM) keeps its mode; everything HOMEPOT writes in it is 0600 anyway.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") throw error;
  }
}

/** A random secret generated once and kept (mode 0600) in the data dir, so tokens survive restarts. */
export function localSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  privateDir(dataDir);
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return secret;
}

/** Where the embedded database lives inside the data dir. */
export const pgliteDir = (config: Pick<Config, "dataDir">) => join(config.dataDir, "pglite");
/**
 * Password of the embedded database's wire port (user `postgres`): generated once, kept 0600 in the data dir,
 * shown by `homepot db url`.
 */
export const embeddedDbPasswordFile = (config: Pick<Config, "dataDir">) => join(config.dataDir, "pg-password");
export const embeddedDbPassword = (config: Pick<Config, "dataDir">) => localSecret(config.dataDir, "pg-password");
/** File a running server writes so the CLI can reach its embedded database over the wire port. */
export const serverStateFile = (config: Pick<Config, "dataDir">) => join(config.dataDir, "server.json");
