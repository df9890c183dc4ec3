import { devices, sites } from "@homepot/db";
import { and, asc, eq, ne } from "drizzle-orm";
import type { Context } from "../context.ts";
import { inScope } from "../tenants/authorize.ts";
import { suggestedQuestions } from "./suggestions.ts";

/**
 * Questions to offer on a page: about its device or site, else about the fleet, with real ids filled in (only ids the
 * asker may see). Three one-row lookups, not the catalogue: the Overview asks on every visit, and on a fleet of
 * 100 000 devices reading every device to pick one took most of a second.
 */
export async function listSuggestedQuestions(
  ctx: Context,
  scope: { siteId?: string; deviceId?: string },
): Promise<string[]> {
  const siteVisible = inScope(ctx, { site: sites.siteId }, "read");
  const [device] = scope.deviceId
    ? await ctx.db
        .select({ deviceId: devices.deviceId, siteId: devices.siteId })
        .from(devices)
        .where(and(eq(devices.deviceId, scope.deviceId), inScope(ctx, { site: devices.siteId }, "read")))
        .limit(1)
    : [];
  const wanted = scope.siteId ?? device?.siteId;
  const oneSite = (where: ReturnType<typeof and>) =>
    ctx.db.select({ siteId: sites.siteId }).from(sites).where(where).orderBy(asc(sites.siteId)).limit(1);
  const [[site], [other]] = await Promise.all([
    wanted ? oneSite(and(eq(sites.siteId, wanted), siteVisible)) : Promise.resolve([]),
    oneSite(and(wanted ? ne(sites.siteId, wanted) : undefined, siteVisible)),
  ]);
  return suggestedQuestions({ device: device?.deviceId, site: site?.siteId, site2: other?.siteId });
}
