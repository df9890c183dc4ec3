import type { RuleConditionValue } from "@homepot/contracts/alerts";
import { alertRules } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { Context } from "../context.ts";

interface DefaultRule {
  key: string;
  name: string;
  severity: "info" | "warning" | "critical";
  condition: RuleConditionValue;
  description: string;
}

/** The rules a new install starts with (admins may edit or disable them, not delete them). */
export const DEFAULT_RULES: readonly DefaultRule[] = [
  {
    key: "device_error",
    name: "Device in error",
    severity: "critical",
    condition: { type: "device_error", minutes: 0 },
    description: "A device whose health check reports an error.",
  },
  {
    key: "device_offline",
    name: "Device offline during opening hours",
    severity: "critical",
    condition: { type: "device_offline", minutes: 10, only_during_opening_hours: true },
    description: "A device offline for 10 minutes while its site is open (by the site's schedule).",
  },
  {
    key: "collection_gap",
    name: "Data collection gap",
    severity: "warning",
    condition: { type: "collection_gap", minutes: 60 },
    description: "No health report or metrics from a device for an hour.",
  },
  {
    key: "disk_full",
    name: "Disk almost full",
    severity: "warning",
    condition: { type: "metric_threshold", metric: "disk_percent", operator: "above", value: 90, minutes: 10 },
    description: "Disk use above 90 % for 10 minutes.",
  },
  {
    key: "anomaly",
    name: "Anomaly detected",
    severity: "warning",
    condition: { type: "anomaly", min_score: 0 },
    description:
      "An alarm of the live detector on a device metric, as data arrives (one alert per device, resolved once it is calm again), and what GET /ai/anomalies finds on demand.",
  },
  {
    key: "failure_risk",
    name: "High failure risk",
    severity: "warning",
    condition: { type: "failure_risk", min_probability: 0.8 },
    description: "A device whose predicted failure probability in the next 24 h is 80 % or more.",
  },
  {
    key: "job_failed",
    name: "Job failed or rolled back",
    severity: "warning",
    condition: { type: "job_failed", include_partial: true, include_rollbacks: true },
    description: "A job that failed or finished partially, or a config change rolled back.",
  },
  {
    key: "command_expired",
    name: "Command expired",
    severity: "info",
    condition: { type: "command_expired" },
    description: "A command that expired before its device answered.",
  },
  {
    key: "database_errors",
    name: "Database errors",
    severity: "critical",
    condition: { type: "error_rate", category: "database", count: 5, window_minutes: 10 },
    description: "Five or more database errors within 10 minutes.",
  },
];

/** Inserts the built-in rules that are missing (a new install gets them all; an edited one is left alone). */
export async function ensureDefaultAlertRules(ctx: Context): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db
    .insert(alertRules)
    .values(
      DEFAULT_RULES.map((r) => ({
        name: r.name,
        description: r.description,
        builtinKey: r.key,
        type: r.condition.type,
        params: r.condition,
        scope: { site_ids: [], segments: [], tags: [], device_ids: [] },
        severity: r.severity,
        createdBy: "system",
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing({ target: alertRules.builtinKey, where: sql`builtin_key is not null` });
}
