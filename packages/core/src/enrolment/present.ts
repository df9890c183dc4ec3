import { type IntentRow, intentState } from "./intent.repository.ts";

/** An enrolment intent as the API shows it (the original's fields, plus ours): never the token's hash. */
export function presentIntent(i: IntentRow, now: Date) {
  return {
    id: i.id,
    intent_id: i.intentId,
    site_id: i.siteId,
    device_name: i.deviceName,
    device_type: i.deviceType,
    enrolment_method: i.enrolmentMethod,
    expected_device_identity: i.expectedDeviceIdentity,
    status: intentState(i, now),
    requires_approval: i.requiresApproval,
    status_reason: i.statusReason,
    claim_token_prefix: i.claimTokenPrefix,
    expires_at: i.expiresAt.toISOString(),
    consumed_at: i.consumedAt?.toISOString() ?? null,
    device_id: i.deviceId,
    failed_claims: i.failedClaims,
    creator_id: i.createdBy,
    idempotency_key: i.idempotencyKey,
    created_at: i.createdAt.toISOString(),
    updated_at: i.updatedAt.toISOString(),
  };
}
