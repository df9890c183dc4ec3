import { randomUUID } from "node:crypto";
import { enrolmentIntents } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { getSite } from "../sites/get-site.ts";
import { findIntentByIdempotencyKey, type IntentRow } from "./intent.repository.ts";
import { generateSecret } from "./secret.ts";

export interface CreateEnrolmentIntentInput {
  deviceName?: string | null | undefined;
  deviceType?: string | undefined;
  enrolmentMethod?: string | undefined;
  expectedDeviceIdentity?: string | null | undefined;
  expiresInHours?: number | undefined;
  /** The intent waits in `pending` until a second operator approves it; otherwise it is claimable at once. */
  requiresApproval?: boolean | undefined;
  idempotencyKey?: string | null | undefined;
}

/**
 * Pre-provisions a slot at an active site and issues its one-time claim token (returned once, here; only its
 * SHA-256 is stored). A repeated idempotency key answers the existing intent without a token.
 */
export async function createEnrolmentIntent(
  ctx: Context,
  siteId: string,
  input: CreateEnrolmentIntentInput,
): Promise<{ intent: IntentRow; claimToken: string | null; created: boolean }> {
  const site = await getSite(ctx, siteId, { activeOnly: true });
  if (input.idempotencyKey) {
    const existing = await findIntentByIdempotencyKey(ctx.db, input.idempotencyKey);
    if (existing) {
      if (existing.siteId !== site.siteId)
        throw new ConflictError("idempotency_key was already used for an intent of another site");
      return { intent: existing, claimToken: null, created: false };
    }
  }
  const token = generateSecret("hpc_");
  const now = ctx.clock.now();
  const hours = input.expiresInHours ?? 48;
  return ctx.db.transaction(async (tx) => {
    const [intent] = await tx
      .insert(enrolmentIntents)
      .values({
        intentId: randomUUID(),
        siteId: site.siteId,
        deviceName: input.deviceName?.trim() || null,
        deviceType: input.deviceType ?? "pos_terminal",
        enrolmentMethod: input.enrolmentMethod ?? "pre-provisioned",
        expectedDeviceIdentity: input.expectedDeviceIdentity?.trim() || null,
        claimTokenHash: token.hash,
        claimTokenPrefix: token.prefix,
        status: input.requiresApproval ? "pending" : "approved",
        requiresApproval: input.requiresApproval ?? false,
        expiresAt: new Date(now.getTime() + hours * 3600_000),
        createdBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
        idempotencyKey: input.idempotencyKey ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!intent) throw new ConflictError("the enrolment intent could not be created");
    await recordAudit(
      ctx,
      {
        eventType: "enrolment_intent_created",
        description: `Enrolment intent ${intent.intentId} created at site ${site.siteId} (expires ${intent.expiresAt.toISOString()})`,
        siteId: site.id,
        newValues: {
          intent_id: intent.intentId,
          device_name: intent.deviceName,
          device_type: intent.deviceType,
          expected_device_identity: intent.expectedDeviceIdentity,
          status: intent.status,
          claim_token_prefix: intent.claimTokenPrefix,
          expires_at: intent.expiresAt.toISOString(),
        },
      },
      tx,
    );
    return { intent, claimToken: token.secret, created: true };
  });
}
