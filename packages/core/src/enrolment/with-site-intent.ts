import type { Db } from "@homepot/db";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { getSite } from "../sites/get-site.ts";
import type { SiteRow } from "../sites/site.repository.ts";
import { type IntentRow, lockIntent } from "./intent.repository.ts";

/**
 * Runs `change` in one transaction on an intent of a site the caller can reach, locked; an intent of another site is
 * not found. `now` is read once the lock is held.
 */
export async function withSiteIntent<R>(
  ctx: Context,
  siteId: string,
  intentId: string,
  change: (tx: Db, before: IntentRow, now: Date, site: SiteRow) => Promise<R>,
): Promise<R> {
  const site = await getSite(ctx, siteId);
  return ctx.db.transaction(async (tx) => {
    const before = await lockIntent(tx, intentId);
    if (!before || before.siteId !== site.siteId)
      throw new NotFoundError(`enrolment intent ${intentId} not found at site ${siteId}`);
    return change(tx, before, ctx.clock.now(), site);
  });
}
