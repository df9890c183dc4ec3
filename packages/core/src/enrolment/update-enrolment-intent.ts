import { enrolmentIntents } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { type IntentRow, intentState } from "./intent.repository.ts";
import { withSiteIntent } from "./with-site-intent.ts";

export type IntentDecision = "approved" | "rejected" | "revoked";

/** From which states each decision may be taken; taking it again is a no-op (so retries are safe). */
const ALLOWED_FROM: Record<IntentDecision, readonly string[]> = {
  approved: ["pending"],
  rejected: ["pending"],
  revoked: ["pending", "approved"],
};

/** Approves, rejects or revokes an intent of the site, with an optional reason; audited. */
export async function updateEnrolmentIntent(
  ctx: Context,
  siteId: string,
  intentId: string,
  input: { status: IntentDecision; reason?: string | null | undefined },
): Promise<{ intent: IntentRow; changed: boolean }> {
  return withSiteIntent(ctx, siteId, intentId, async (tx, before, now, site) => {
    const state = intentState(before, now);
    if (state === input.status) return { intent: before, changed: false };
    if (!ALLOWED_FROM[input.status].includes(state))
      throw new ConflictError(`status: an intent that is ${state} cannot be ${input.status}`);
    const [intent] = await tx
      .update(enrolmentIntents)
      .set({ status: input.status, statusReason: input.reason?.trim() || null, updatedAt: now })
      .where(eq(enrolmentIntents.id, before.id))
      .returning();
    if (!intent) throw new NotFoundError(`enrolment intent ${intentId} not found`);
    const verb = { approved: "approved", rejected: "rejected", revoked: "revoked" }[input.status];
    await recordAudit(
      ctx,
      {
        eventType: `enrolment_intent_${verb}`,
        description: `Enrolment intent ${intentId} at site ${site.siteId} ${verb}${intent.statusReason ? `: ${intent.statusReason}` : ""}`,
        siteId: site.id,
        oldValues: { status: state },
        newValues: { status: intent.status, reason: intent.statusReason },
      },
      tx,
    );
    return { intent, changed: true };
  });
}
