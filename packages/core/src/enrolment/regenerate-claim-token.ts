import { enrolmentIntents } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { type IntentRow, intentState } from "./intent.repository.ts";
import { generateSecret } from "./secret.ts";
import { withSiteIntent } from "./with-site-intent.ts";

/**
 * Replaces an open intent's claim token (the old one stops working at once); the new token is returned once.
 * `expiresInHours` also extends the intent. Only pending or approved intents, not expired ones unless extended.
 */
export async function regenerateClaimToken(
  ctx: Context,
  siteId: string,
  intentId: string,
  input: { expiresInHours?: number | undefined } = {},
): Promise<{ intent: IntentRow; claimToken: string }> {
  return withSiteIntent(ctx, siteId, intentId, async (tx, before, now, site) => {
    const state = intentState(before, now);
    const extends_ = input.expiresInHours !== undefined;
    if (!(state === "pending" || state === "approved" || (state === "expired" && extends_)))
      throw new ConflictError(`cannot regenerate the token of an intent that is ${state}`);
    const token = generateSecret("hpc_");
    const [intent] = await tx
      .update(enrolmentIntents)
      .set({
        claimTokenHash: token.hash,
        claimTokenPrefix: token.prefix,
        failedClaims: 0,
        updatedAt: now,
        ...(extends_ ? { expiresAt: new Date(now.getTime() + (input.expiresInHours ?? 0) * 3600_000) } : {}),
      })
      .where(eq(enrolmentIntents.id, before.id))
      .returning();
    if (!intent) throw new NotFoundError(`enrolment intent ${intentId} not found`);
    await recordAudit(
      ctx,
      {
        eventType: "enrolment_token_regenerated",
        description: `Claim token of enrolment intent ${intentId} at site ${site.siteId} regenerated`,
        siteId: site.id,
        oldValues: { claim_token_prefix: before.claimTokenPrefix, expires_at: before.expiresAt.toISOString() },
        newValues: { claim_token_prefix: intent.claimTokenPrefix, expires_at: intent.expiresAt.toISOString() },
      },
      tx,
    );
    return { intent, claimToken: token.secret };
  });
}
