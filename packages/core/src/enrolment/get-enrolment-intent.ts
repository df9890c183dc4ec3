import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { getSite } from "../sites/get-site.ts";
import { findIntent, type IntentRow } from "./intent.repository.ts";

/** One intent of a site; 404 when the site or the intent is unknown (or the intent belongs to another site). */
export async function getEnrolmentIntent(ctx: Context, siteId: string, intentId: string): Promise<IntentRow> {
  const site = await getSite(ctx, siteId);
  const intent = await findIntent(ctx.db, site.siteId, intentId);
  if (!intent) throw new NotFoundError(`enrolment intent ${intentId} not found at site ${siteId}`);
  return intent;
}
