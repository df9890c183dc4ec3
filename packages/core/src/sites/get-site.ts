import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { findSiteBySiteId, type SiteRow } from "./site.repository.ts";

/** The site, active or not (deleted sites stay readable for history); 404 when unknown. */
export async function getSite(ctx: Context, siteId: string, options: { activeOnly?: boolean } = {}): Promise<SiteRow> {
  const site = await findSiteBySiteId(ctx.db, siteId);
  if (!site || (options.activeOnly && !site.isActive)) throw new NotFoundError(`site ${siteId} not found`);
  return site;
}
