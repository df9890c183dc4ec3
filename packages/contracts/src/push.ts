import { z } from "zod";
import {
  boundedJsonObject,
  createdBy,
  isCalendarDateTime,
  listResult,
  messageResult,
  Pagination,
  Timestamp,
  withTotal,
} from "./common.ts";
import { DeviceId } from "./devices.ts";

/** `POST /agents/{device_id}/push` (operator): a notification for the device, never an instruction it executes. */
export const SendPushBody = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(2000),
  data: boundedJsonObject({ maxBytes: 16 * 1024 }).nullish(),
  /** Seconds the device may still pick it up (default 1 day, at most 7). */
  ttl: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(86_400),
});
export const PushDeviceParams = z.object({ device_id: DeviceId });

/** The original's answer: `{message, device_id, message_id, response}` (+ ours). */
export const SendPushResponse = messageResult({
  device_id: z.string(),
  message_id: z.string(),
  response: z.object({ status: z.literal("success"), message: z.string(), expires_at: Timestamp }),
});

export const PushLogSchema = z.object({
  message_id: z.string(),
  device_id: z.string(),
  title: z.string(),
  body: z.string(),
  data: z.unknown(),
  status: z.string(),
  ...createdBy,
  sent_at: Timestamp,
  expires_at: Timestamp,
  fetched_at: Timestamp.nullable(),
  received_at: Timestamp.nullable(),
  acked_at: Timestamp.nullable(),
  latency_ms: z.number().int().nullable(),
  error_message: z.string().nullable(),
  acked_by: z.string().nullable(),
});
export const PushLogsQuery = Pagination;
export const PushLogsResponse = listResult("push_logs", PushLogSchema, withTotal);

/** What `GET /push/pending` hands the device (each once). */
export const PendingPushSchema = PushLogSchema.pick({
  message_id: true,
  title: true,
  body: true,
  data: true,
  sent_at: true,
  expires_at: true,
});
export const PendingPushResponse = listResult("notifications", PendingPushSchema);

/** `POST /push/ack`: the original's body (status delivered | failed, received_at, error_message). */
export const PushAckBody = z.object({
  message_id: z.string().trim().min(1).max(100),
  device_id: z.string().trim().min(1).max(100),
  status: z.string().trim().min(1).max(50).default("delivered"),
  received_at: z
    .string()
    .max(40)
    .refine(isCalendarDateTime, { message: "must be an existing ISO 8601 datetime" })
    .nullish(),
  error_message: z.string().max(2000).nullish(),
});
