/** Enrolment intents (claim tokens) and site bootstrap keys: the original HOMEPOT's shapes, plus ours. */
import { z } from "zod";
import { listResult, Pagination, statusDataResult, statusResult, Timestamp, timestamps, withTotal } from "./common.ts";
import { DeviceId, DeviceName, DeviceType, LifecycleState } from "./devices.ts";
import { EnrolmentReleaseKey } from "./releases.ts";
import { SiteId } from "./sites.ts";

const Secret = z.string().trim().min(1).max(200);
const Identity = z.string().trim().min(1).max(200);
const OsDetails = z.string().trim().max(200);
const Reason = z.string().trim().max(500);

export const IntentStatus = z.enum(["pending", "approved", "consumed", "rejected", "revoked", "expired"]);
export const IntentParams = z.object({ site_id: SiteId, intent_id: z.string().trim().min(1).max(36) });
export const ClaimParams = z.object({ intent_id: z.string().trim().min(1).max(36) });

export const CreateIntentBody = z.object({
  /** The original sends the site in the body too; when given it must match the path. */
  site_id: SiteId.optional(),
  device_name: DeviceName.nullish().describe("The name the device gets unless it sends its own"),
  device_type: DeviceType.optional(),
  enrolment_method: z.string().trim().min(1).max(30).optional(),
  expected_device_identity: Identity.nullish().describe("Only a device reporting this identity may claim"),
  expires_in_hours: z.number().int().min(1).max(8760).optional().describe("Default 48"),
  requires_approval: z.boolean().optional().describe("The intent waits in pending until approved"),
  idempotency_key: z.string().trim().min(1).max(100).nullish(),
});

export const IntentSchema = z.object({
  id: z.number().int(),
  intent_id: z.string(),
  site_id: z.string(),
  device_name: z.string().nullable(),
  device_type: z.string(),
  enrolment_method: z.string(),
  expected_device_identity: z.string().nullable(),
  status: IntentStatus,
  requires_approval: z.boolean(),
  status_reason: z.string().nullable(),
  claim_token_prefix: z.string(),
  expires_at: Timestamp,
  consumed_at: Timestamp.nullable(),
  device_id: z.string().nullable(),
  failed_claims: z.number().int(),
  creator_id: z.number().int().nullable(),
  idempotency_key: z.string().nullable(),
  ...timestamps,
});
export type EnrolmentIntent = z.infer<typeof IntentSchema>;

/** The original's answer (`status`, `intent_id`, `claim_token`, `expires_at` at the top) and ours (`data`). */
export const CreateIntentResult = statusResult({
  intent_id: z.string(),
  /** Shown once; null when an idempotency key answered an existing intent. */
  claim_token: z.string().nullable(),
  expires_at: Timestamp,
  data: IntentSchema,
});

export const ListIntentsQuery = Pagination.extend({ status: IntentStatus.optional() });
export const IntentList = listResult("intents", IntentSchema, withTotal);
export const IntentGetResult = IntentSchema.extend({ success: z.literal(true) });

export const DecideIntentBody = z.object({
  status: z.enum(["approved", "rejected", "revoked"]),
  reason: Reason.nullish(),
});
export const DecideIntentResult = statusResult({
  intent_id: z.string(),
  new_status: IntentStatus,
  data: IntentSchema,
});

export const RegenerateTokenBody = z
  .object({ expires_in_hours: z.number().int().min(1).max(8760).optional() })
  .nullish()
  .describe("Optionally extend the intent");
export const RegenerateTokenResult = statusResult({
  claim_token: z.string(),
  data: IntentSchema,
});

export const ClaimBody = z.object({
  claim_token: Secret,
  device_name: DeviceName.nullish(),
  device_type: DeviceType.optional(),
  os_details: OsDetails.nullish(),
  expected_device_identity: Identity.nullish().describe("The device's stable identity (serial, machine id)"),
  device_id: DeviceId.optional().describe("Omitted: the server generates one"),
});
export const ClaimResult = statusResult({
  device_id: z.string(),
  /** Shown once. */
  api_key: z.string(),
  site_id: z.string(),
  epoch_id: z.string(),
  lifecycle_state: LifecycleState,
  release_key: EnrolmentReleaseKey,
});

export const BootstrapKeyBody = z
  .object({
    expires_in_hours: z.number().int().min(1).max(87_600).nullish(),
    max_uses: z.number().int().min(1).max(1_000_000).nullish(),
    require_approval: z.boolean().optional().describe("Self-provisioned devices wait in pending until approved"),
  })
  .nullish();
export const BootstrapKeyResult = statusResult({
  data: z.object({
    /** Shown once. */
    bootstrap_key: z.string(),
    message: z.string(),
    bootstrap_key_prefix: z.string(),
    expires_at: Timestamp.nullable(),
    max_uses: z.number().int().nullable(),
    require_device_approval: z.boolean(),
  }),
});
export const BootstrapRevokeResult = statusResult({});

export const BootstrapProvisionBody = z.object({
  site_id: SiteId,
  bootstrap_key: Secret,
  device_name: DeviceName.nullish(),
  device_type: DeviceType.optional(),
  os_details: OsDetails.nullish(),
  provisioning_source: z.enum(["physical", "emulator"]).nullish(),
  device_id: DeviceId.optional().describe("Omitted: the server generates one"),
  machine_id: Identity.nullish().describe("The device's stable identity (machine id)"),
});
export const BootstrapProvisionResult = statusResult({
  data: z.object({
    device_id: z.string(),
    /** Shown once. */
    api_key: z.string(),
    site_id: z.string(),
    created_at: Timestamp,
    epoch_id: z.string(),
    /** pending when the site requires approval: the key then only registers until an operator approves. */
    lifecycle_state: LifecycleState,
    release_key: EnrolmentReleaseKey,
  }),
});

export const VerifyBootstrapBody = z.object({ site_id: SiteId, bootstrap_key: Secret });
export const VerifyBootstrapResult = statusDataResult(z.object({ verified: z.boolean() }));
export const CheckNameBody = z.object({ site_id: SiteId, bootstrap_key: Secret, device_name: DeviceName });
export const CheckNameResult = statusDataResult(z.object({ available: z.boolean() }));

export const DecideDeviceBody = z.object({ reason: Reason.nullish() }).nullish();
