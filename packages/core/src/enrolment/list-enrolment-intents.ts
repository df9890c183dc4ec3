import type { Context } from "../context.ts";
import { getSite } from "../sites/get-site.ts";
import { type IntentRow, type IntentState, listIntentsOfSite } from "./intent.repository.ts";

/** A site's intents, newest first, optionally in one state (expired is computed from `expires_at`). */
export async function listEnrolmentIntents(
  ctx: Context,
  siteId: string,
  input: { status?: IntentState | undefined; limit: number; offset: number },
): Promise<{ rows: IntentRow[]; total: number }> {
  const site = await getSite(ctx, siteId);
  return listIntentsOfSite(ctx.db, { siteId: site.siteId, state: input.status, ...input, now: ctx.clock.now() });
}
