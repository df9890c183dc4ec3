import type { Context } from "../context.ts";
import { getSite } from "../sites/get-site.ts";
import type { SiteRow } from "../sites/site.repository.ts";
import { countDevicesBySite, type DeviceCounts, emptyCounts, type SiteStatus, siteStatusOf } from "./count-devices.ts";

/** One site's devices counted on the server (archived sites too), with the site status rule applied. */
export async function getSiteStats(
  ctx: Context,
  siteId: string,
): Promise<{ site: SiteRow; counts: DeviceCounts; status: SiteStatus }> {
  const site = await getSite(ctx, siteId);
  const counts = (await countDevicesBySite(ctx.db, ctx.clock.now(), site.siteId)).get(site.siteId) ?? emptyCounts();
  return { site, counts, status: siteStatusOf(counts) };
}
