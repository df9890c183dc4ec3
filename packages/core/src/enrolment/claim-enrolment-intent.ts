import { enrolmentIntents } from "@homepot/db";
import { eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { insertDevice, type RegisteredDevice } from "../devices/register-device.ts";
import { ConflictError, ForbiddenError, GoneError, UnauthorizedError } from "../errors.ts";
import { findSiteBySiteId } from "../sites/site.repository.ts";
import type { EnrollingDevice } from "./enrolling-device.ts";
import { intentState, lockIntent } from "./intent.repository.ts";
import { auditingRefusals, EnrolmentRefused } from "./refusal.ts";
import { secretMatches } from "./secret.ts";

export interface ClaimInput extends EnrollingDevice {
  claimToken: string;
  /** The device's stable identity (serial number, machine id); must match the intent's when it names one. */
  expectedDeviceIdentity?: string | null | undefined;
}

const GONE: Record<string, string> = {
  consumed: "this claim token was already used",
  rejected: "this enrolment intent was rejected",
  revoked: "this enrolment intent was revoked",
  expired: "this enrolment intent has expired",
};

/**
 * Redeems an intent's one-time claim token: creates the device (active, first epoch at the intent's site) and
 * its key, and consumes the intent, all in one transaction under the intent's row lock, so two claims cannot
 * both win. A wrong token or unknown intent is 401; a used, revoked, rejected or expired one 410; every
 * refusal is audited.
 */
export async function claimEnrolmentIntent(
  ctx: Context,
  intentId: string,
  input: ClaimInput,
): Promise<RegisteredDevice & { siteId: string }> {
  return auditingRefusals(
    ctx,
    "enrolment_claim_failed",
    `Claim of enrolment intent ${intentId}`,
    () =>
      ctx.db.transaction(async (tx) => {
        const intent = await lockIntent(tx, intentId);
        // Checked even for an unknown intent, so timing does not tell which intents exist.
        const tokenOk = secretMatches(input.claimToken, intent?.claimTokenHash);
        if (!intent)
          throw new EnrolmentRefused(
            new UnauthorizedError("Invalid enrolment intent or claim token"),
            "unknown intent",
          );
        if (!tokenOk)
          throw new EnrolmentRefused(
            new UnauthorizedError("Invalid enrolment intent or claim token"),
            "wrong claim token",
            {
              intent_id: intent.intentId,
              site_id: intent.siteId,
            },
          );
        const now = ctx.clock.now();
        const state = intentState(intent, now);
        const meta = { intent_id: intent.intentId, site_id: intent.siteId, state };
        const gone = GONE[state];
        if (gone) throw new EnrolmentRefused(new GoneError(gone), state, meta);
        if (state === "pending")
          throw new EnrolmentRefused(
            new ConflictError("this enrolment intent is waiting for an operator's approval"),
            "pending approval",
            meta,
          );
        if (intent.expectedDeviceIdentity && intent.expectedDeviceIdentity !== input.expectedDeviceIdentity?.trim())
          throw new EnrolmentRefused(
            new ForbiddenError("expected_device_identity does not match the identity this intent was created for"),
            "device identity mismatch",
            meta,
          );
        const site = await findSiteBySiteId(tx, intent.siteId);
        if (!site?.isActive)
          throw new EnrolmentRefused(new GoneError(`site ${intent.siteId} is no longer active`), "site inactive", meta);
        const enrolled = await insertDevice(
          ctx,
          tx,
          site,
          {
            deviceId: input.deviceId,
            name: input.deviceName?.trim() || intent.deviceName || undefined,
            deviceType: input.deviceType ?? intent.deviceType,
            osDetails: input.osDetails ?? null,
            machineId: input.expectedDeviceIdentity?.trim() || null,
          },
          { method: "claim", lifecycleState: "active", reason: `claimed enrolment intent ${intent.intentId}` },
        );
        await tx
          .update(enrolmentIntents)
          .set({ status: "consumed", consumedAt: now, deviceId: enrolled.device.deviceId, updatedAt: now })
          .where(eq(enrolmentIntents.id, intent.id));
        await recordAudit(
          ctx,
          {
            eventType: "enrolment_intent_claimed",
            description: `Enrolment intent ${intent.intentId} claimed by device ${enrolled.device.deviceId} at site ${site.siteId}`,
            deviceId: enrolled.device.id,
            siteId: site.id,
            newValues: { intent_id: intent.intentId, device_id: enrolled.device.deviceId, epoch_id: enrolled.epochId },
          },
          tx,
        );
        return { ...enrolled, siteId: site.siteId };
      }),
    async (refusal) => {
      if (refusal.reason !== "wrong claim token") return;
      await ctx.db
        .update(enrolmentIntents)
        .set({ failedClaims: sql`${enrolmentIntents.failedClaims} + 1` })
        .where(eq(enrolmentIntents.intentId, intentId));
    },
  );
}
