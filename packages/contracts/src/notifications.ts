import { z } from "zod";
import { AlertSeverity, OwnerTenant, ownedSetting } from "./alerts.ts";
import {
  listResult,
  numberCount,
  Pagination,
  SerialId,
  SerialIdParams,
  Timestamp,
  timestamps,
  writeResult,
} from "./common.ts";
import { SiteId, Timezone } from "./sites.ts";

export const CHANNEL_TYPES = ["webhook", "slack", "teams", "email", "mqtt"] as const;
const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM");
const HttpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000);
const Email = z.email().max(254);

const ChannelSettings = z
  .object({
    /** email */
    to: z.array(Email).min(1).max(50).optional(),
    from: Email.optional(),
    smtp_host: z.string().trim().min(1).max(255).optional(),
    smtp_port: z.number().int().min(1).max(65_535).optional(),
    smtp_secure: z.boolean().optional(),
    smtp_username: z.string().max(255).optional(),
    /** mqtt */
    mqtt_url: z
      .url({ protocol: /^mqtts?$/, error: "must be an mqtt:// or mqtts:// URL" })
      .max(2000)
      .optional(),
    mqtt_username: z.string().max(255).optional(),
    topic: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .regex(/^[^#+]+$/, "no wildcards")
      .optional(),
  })
  .strict();

/** Secrets are written, never read back: the webhook URL (it often carries a token), the signing secret, passwords. */
const ChannelSecrets = z
  .object({
    url: HttpUrl.optional(),
    signing_secret: z.string().min(16).max(200).optional(),
    smtp_password: z.string().max(500).optional(),
    mqtt_password: z.string().max(500).optional(),
  })
  .strict();

const Routing = {
  enabled: z.boolean().optional(),
  min_severity: AlertSeverity.optional(),
  site_ids: z.array(SiteId).max(500).optional(),
  /** Local times on the channel's `timezone`. */
  quiet_hours: z.object({ start: HhMm, end: HhMm }).strict().nullable().optional(),
  /** IANA zone of quiet hours and digest slots; null: the alert's site's zone, else UTC. */
  timezone: Timezone.nullable().optional(),
  digest_minutes: z.number().int().min(0).max(1440).optional(),
  escalate_after_minutes: z.number().int().min(0).max(10_080).optional(),
  max_attempts: z.number().int().min(1).max(20).optional(),
};

export const CreateChannelBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    tenant_id: OwnerTenant,
    type: z.enum(CHANNEL_TYPES),
    settings: ChannelSettings.default({}),
    secrets: ChannelSecrets.default({}),
    ...Routing,
  })
  .strict();
export const UpdateChannelBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    settings: ChannelSettings.optional(),
    secrets: ChannelSecrets.optional(),
    ...Routing,
  })
  .strict();
export const ChannelParams = SerialIdParams;

/** A platform-wide channel (tenant_id null) receives every alert. */
export const ChannelSchema = z.object({
  ...ownedSetting,
  type: z.string(),
  enabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  /** Which secrets are set (their values are never shown again). */
  secrets_set: z.array(z.string()),
  min_severity: z.string(),
  site_ids: z.array(z.string()),
  quiet_hours: z.object({ start: z.string(), end: z.string() }).nullable(),
  timezone: z.string().nullable(),
  digest_minutes: z.number(),
  escalate_after_minutes: z.number(),
  max_attempts: z.number(),
  dead_deliveries: z.number(),
  ...timestamps,
});
export const ChannelList = listResult("channels", ChannelSchema, numberCount);
/** A created webhook channel shows its generated signing secret here, once. */
export const ChannelResult = writeResult(ChannelSchema.extend({ signing_secret: z.string().optional() }));

/** pending → sent, or retrying until sent or dead (attempts used up). */
export const DeliveryStatus = z.enum(["pending", "retrying", "sent", "dead"]);
export type DeliveryStatusValue = z.infer<typeof DeliveryStatus>;
/** What a delivery tells: an alert opened, resolved or escalated, a digest of several, or a channel test. */
export const DeliveryEvent = z.enum(["opened", "resolved", "escalated", "digest", "test"]);
export type DeliveryEventValue = z.infer<typeof DeliveryEvent>;

export const DeliverySchema = z.object({
  id: z.number(),
  channel_id: z.number(),
  alert_id: z.number().nullable(),
  event: DeliveryEvent,
  status: DeliveryStatus,
  attempts: z.number(),
  next_attempt_at: Timestamp,
  last_error: z.string().nullable(),
  created_at: Timestamp,
  sent_at: Timestamp.nullable(),
});
export const ListDeliveriesQuery = Pagination.extend({
  channel_id: SerialId.optional(),
  status: DeliveryStatus.optional(),
});
export const DeliveryList = listResult("deliveries", DeliverySchema, numberCount);
export const DeliveryParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
export const DeliveryResult = writeResult(DeliverySchema);
export const TestNotificationResult = writeResult(z.object({ delivered: z.boolean(), error: z.string().nullable() }));
