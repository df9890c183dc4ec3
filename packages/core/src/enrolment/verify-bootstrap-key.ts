import { type Db, sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import { isDeviceNameFree } from "../devices/device-identity.ts";
import { GoneError, UnauthorizedError } from "../errors.ts";
import type { SiteRow } from "../sites/site.repository.ts";
import { auditingRefusals, EnrolmentRefused } from "./refusal.ts";
import { secretMatches } from "./secret.ts";

const INVALID = "Invalid site or bootstrap key";

/**
 * The site whose bootstrap key this is, or a refusal: 401 for an unknown or inactive site, no key or a wrong
 * one (one answer for all, so the key's existence is not revealed), 410 for the right key once expired or used
 * up. `lock` takes the site's row lock (provisioning counts a use).
 */
export async function checkBootstrapKey(
  db: Db,
  siteId: string,
  key: string,
  now: Date,
  lock = false,
): Promise<SiteRow> {
  const query = db.select().from(sites).where(eq(sites.siteId, siteId)).limit(1);
  const [site] = lock ? await query.for("update") : await query;
  const ok = secretMatches(key, site?.bootstrapKeyHash);
  const meta = { site_id: siteId };
  if (!site?.isActive) throw new EnrolmentRefused(new UnauthorizedError(INVALID), "unknown or inactive site", meta);
  if (!site.bootstrapKeyHash)
    throw new EnrolmentRefused(new UnauthorizedError(INVALID), "site has no bootstrap key", meta);
  if (!ok) throw new EnrolmentRefused(new UnauthorizedError(INVALID), "wrong bootstrap key", meta);
  if (site.bootstrapKeyExpiresAt && site.bootstrapKeyExpiresAt.getTime() <= now.getTime())
    throw new EnrolmentRefused(new GoneError("this bootstrap key has expired"), "bootstrap key expired", meta);
  if (site.bootstrapKeyMaxUses !== null && site.bootstrapKeyUses >= site.bootstrapKeyMaxUses)
    throw new EnrolmentRefused(
      new GoneError("this bootstrap key has reached its maximum number of uses"),
      "bootstrap key used up",
      meta,
    );
  return site;
}

/** Whether the pair works now, without saying which half failed; a failure is audited. */
export async function verifyBootstrapKey(ctx: Context, siteId: string, key: string): Promise<boolean> {
  try {
    await auditingRefusals(ctx, "bootstrap_verify_failed", `Bootstrap key check for site ${siteId}`, () =>
      checkBootstrapKey(ctx.db, siteId, key, ctx.clock.now()),
    );
    return true;
  } catch (err) {
    if (err instanceof UnauthorizedError || err instanceof GoneError) return false;
    throw err;
  }
}

/** Whether `name` is free at the site (names are unique per site, ignoring case); needs the site's bootstrap key. */
export async function checkDeviceName(ctx: Context, siteId: string, key: string, name: string): Promise<boolean> {
  const site = await auditingRefusals(ctx, "bootstrap_verify_failed", `Device name check for site ${siteId}`, () =>
    checkBootstrapKey(ctx.db, siteId, key, ctx.clock.now()),
  );
  return isDeviceNameFree(ctx.db, site.siteId, name);
}
