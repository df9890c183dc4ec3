import { z } from "zod";
import {
  dataResult,
  IsoDate,
  listResult,
  numberCount,
  Pagination,
  resolution,
  SerialId,
  SerialIdParams,
  TimeRange,
  Timestamp,
  timestamps,
  writeResult,
} from "./common.ts";
import { DeviceId, DeviceTag } from "./devices.ts";
import { SiteId } from "./sites.ts";
import { METRIC_FIGURES } from "./telemetry.ts";

export const ALERT_SEVERITIES = ["info", "warning", "critical"] as const;
export const AlertSeverity = z.enum(ALERT_SEVERITIES);
export type AlertSeverityValue = z.infer<typeof AlertSeverity>;
export const AlertStatus = z.enum(["open", "acknowledged", "resolved"]);

/** The figures a metric rule can watch (the device_metrics columns). */
export const RULE_METRICS = METRIC_FIGURES;

const Minutes = z.number().int().min(0).max(10_080);
export const ERROR_CATEGORIES = [
  "api",
  "database",
  "external_service",
  "validation",
  "auth",
  "system",
  "device",
  "job",
  "frontend",
] as const;

/** What a rule watches; `type` names the condition and the other fields are its parameters. */
export const RuleCondition = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("device_offline"),
      minutes: Minutes.default(10),
      only_during_opening_hours: z.boolean().default(true),
    })
    .strict(),
  z.object({ type: z.literal("device_error"), minutes: Minutes.default(0) }).strict(),
  z
    .object({
      type: z.literal("metric_threshold"),
      metric: z.enum(RULE_METRICS),
      operator: z.enum(["above", "below"]),
      value: z.number().finite(),
      minutes: Minutes.default(5),
    })
    .strict(),
  z.object({ type: z.literal("anomaly"), min_score: z.number().min(0).max(1000).default(3) }).strict(),
  z.object({ type: z.literal("failure_risk"), min_probability: z.number().min(0).max(1).default(0.7) }).strict(),
  z
    .object({
      type: z.literal("job_failed"),
      include_partial: z.boolean().default(true),
      include_rollbacks: z.boolean().default(true),
    })
    .strict(),
  z.object({ type: z.literal("command_expired") }).strict(),
  z
    .object({
      type: z.literal("error_rate"),
      category: z.enum(ERROR_CATEGORIES),
      count: z.number().int().min(1).max(1_000_000),
      window_minutes: z.number().int().min(1).max(1440),
    })
    .strict(),
  z.object({ type: z.literal("collection_gap"), minutes: z.number().int().min(1).max(10_080).default(15) }).strict(),
]);
export type RuleConditionValue = z.infer<typeof RuleCondition>;
export type RuleType = RuleConditionValue["type"];

/** Which devices a rule covers; an empty list means "any". */
export const RuleScope = z
  .object({
    site_ids: z.array(SiteId).max(500).default([]),
    segments: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
    tags: z.array(DeviceTag).max(50).default([]),
    device_ids: z.array(DeviceId).max(1000).default([]),
  })
  .strict();
export type RuleScopeValue = z.infer<typeof RuleScope>;

const Name = z.string().trim().min(1).max(120);
/**
 * The tenant owning a rule or channel (fixed once created). Null or absent from a platform admin: platform-wide;
 * absent from a tenant admin: the one tenant they administer.
 */
export const OwnerTenant = z.number().int().min(1).max(2_147_483_647).nullish();
/** How replies show a tenant-owned setting (a rule, a channel): its id, its name and its tenant (null: platform-wide). */
export const ownedSetting = { id: z.number(), name: z.string(), tenant_id: z.number().nullable() };
const Template = z.string().trim().min(1).max(500);

export const CreateAlertRuleBody = z
  .object({
    name: Name,
    tenant_id: OwnerTenant,
    description: z.string().trim().max(1000).nullish(),
    enabled: z.boolean().default(true),
    condition: RuleCondition,
    scope: RuleScope.default({ site_ids: [], segments: [], tags: [], device_ids: [] }),
    severity: AlertSeverity.default("warning"),
    message_template: Template.nullish(),
  })
  .strict();
export const UpdateAlertRuleBody = z
  .object({
    name: Name.optional(),
    description: z.string().trim().max(1000).nullish(),
    enabled: z.boolean().optional(),
    condition: RuleCondition.optional(),
    scope: RuleScope.optional(),
    severity: AlertSeverity.optional(),
    message_template: Template.nullish(),
  })
  .strict();
export const AlertRuleParams = SerialIdParams;

export const AlertRuleSchema = z.object({
  ...ownedSetting,
  description: z.string().nullable(),
  enabled: z.boolean(),
  builtin: z.boolean(),
  condition: z.record(z.string(), z.unknown()),
  scope: z.record(z.string(), z.unknown()),
  severity: z.string(),
  message_template: z.string().nullable(),
  open_alerts: z.number(),
  ...timestamps,
});
export const AlertRuleList = listResult("rules", AlertRuleSchema, numberCount);
export const AlertRuleResult = writeResult(AlertRuleSchema);

export const AlertSchema = z.object({
  id: z.number(),
  kind: z.string(),
  source: z.string(),
  status: z.string(),
  severity: z.string(),
  rule_id: z.number().nullable(),
  rule_name: z.string().nullable().optional(),
  device_id: z.string().nullable(),
  site_id: z.string().nullable(),
  title: z.string(),
  message: z.string().nullable(),
  details: z.unknown(),
  score: z.number().nullable(),
  occurrences: z.number(),
  flaps: z.number(),
  flapping: z.boolean(),
  ...resolution,
  resolution_note: z.string().nullable(),
  acknowledged_at: Timestamp.nullable(),
  acknowledged_by: z.string().nullable(),
  created_at: Timestamp,
  last_seen_at: Timestamp,
});
export const AlertParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export const ListAlertsQuery = Pagination.extend({
  status: z.enum(["open", "acknowledged", "resolved", "active", "all"]).default("active"),
  severity: AlertSeverity.optional(),
  site_id: SiteId.optional(),
  device_id: DeviceId.optional(),
  rule_id: SerialId.optional(),
  kind: z.string().trim().min(1).max(50).optional(),
}).extend(TimeRange.shape);
export const AlertList = listResult("alerts", AlertSchema, { ...numberCount, total: z.number() });
export const AlertResult = writeResult(AlertSchema);
export const AlertGetResult = dataResult(AlertSchema);
export const AlertNoteBody = z.object({ note: z.string().trim().max(2000).optional() }).strict();

const Counts = z.object({
  open: z.number(),
  acknowledged: z.number(),
  critical: z.number(),
  warning: z.number(),
  info: z.number(),
});
export const AlertCountsQuery = z.object({ site_id: SiteId.optional(), device_id: DeviceId.optional() });
export const AlertCountsResponse = dataResult(
  Counts.extend({
    by_site: z.record(z.string(), z.number()),
    by_device: z.record(z.string(), z.number()),
  }),
);

/** A device raising an alert itself (the original HOMEPOT's POST /agent/alert). */
export const AgentAlertBody = z.object({
  device_id: DeviceId,
  title: z.string().trim().min(1).max(200),
  description: z.string().max(4000).nullish(),
  severity: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["critical", "high", "medium", "low", "info", "warning", "error"]))
    .default("warning"),
  category: z.string().trim().min(1).max(50).default("network"),
  timestamp: IsoDate.optional(),
});
export const AgentAlertResponse = z.object({ status: z.literal("success"), message: z.string() });
