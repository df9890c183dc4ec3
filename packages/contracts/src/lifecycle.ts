import { z } from "zod";
import { Timestamp } from "./common.ts";
import { LifecycleState } from "./devices.ts";
import { SiteId } from "./sites.ts";

const Reason = z.string().trim().max(500).nullish().describe("Why: kept with the event, the state history and audit");
const IdempotencyKey = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .nullish()
  .describe("A repeated request with the same key changes nothing (the Idempotency-Key header works too)");

const TransitionFields = z.object({ reason: Reason, idempotency_key: IdempotencyKey });

/** Body of suspend, resume and unpair (the original's LifecycleTransitionRequest); it may be left out. */
export const LifecycleTransitionBody = TransitionFields.default({});

export const TransferDeviceBody = TransitionFields.extend({ target_site_id: SiteId });

export const ReenrolDeviceBody = TransitionFields.extend({
  site_id: SiteId.optional().describe("Where the device comes back (default: the site it was unpaired from)"),
  device_name: z.string().trim().min(1).max(100).optional(),
}).default({});

/** `DELETE /devices/{device_id}`: without `mode` the soft delete older clients know; `purge` needs confirm=true (admin). */
export const DeleteDeviceQuery = z.object({
  mode: z.enum(["purge"]).optional(),
  confirm: z
    .enum(["true", "false", "1", "0"])
    .transform((v) => v === "true" || v === "1")
    .default(false)
    .describe("Required for purge: it deletes the device and all its data"),
});

/** The original HOMEPOT's answer `{status, message, device_id}`, plus the new state and epoch. */
export const LifecycleResult = z.object({
  success: z.literal(true),
  status: z.literal("success"),
  message: z.string(),
  device_id: z.string(),
  lifecycle_state: LifecycleState,
  site_id: z.string(),
  epoch_id: z.string().nullable(),
  /** True when the request repeated an earlier one (same idempotency key) or the device was already there. */
  replayed: z.boolean(),
  /** Re-enrol and transfer: the new key, shown once. */
  api_key: z.string().optional(),
  target_site_id: z.string().optional(),
});

/** What moved a device from one lifecycle state to another. */
export const LifecycleAction = z.enum(["suspend", "resume", "unpair", "reenrol", "transfer", "approve"]);
export type LifecycleActionValue = z.infer<typeof LifecycleAction>;

export const LifecycleEventSchema = z.object({
  id: z.number().int(),
  timestamp: Timestamp,
  action: LifecycleAction,
  from_state: LifecycleState,
  to_state: LifecycleState,
  site_id: z.string(),
  epoch_id: z.string().nullable(),
  reason: z.string().nullable(),
  changed_by: z.string(),
});

export const EpochSchema = z.object({
  epoch_id: z.string(),
  site_id: z.string(),
  started_at: Timestamp,
  ended_at: Timestamp.nullable(),
  reason: z.string().nullable(),
});

/** `GET /devices/{device_id}/lifecycle`: the device's epochs (oldest first) and transitions (newest first). */
export const DeviceLifecycleResult = z.object({
  success: z.literal(true),
  device_id: z.string(),
  lifecycle_state: LifecycleState,
  epochs: z.array(EpochSchema),
  events: z.array(LifecycleEventSchema),
});
