import type { Db } from "@homepot/db";
import { ConflictError, NotFoundError } from "../errors.ts";
import { findSiteBySiteId, type SiteRow } from "../sites/site.repository.ts";

/** The site a device is moved or re-enrolled to: it must exist and not be archived. */
export async function activeSite(db: Db, siteId: string, field: string): Promise<SiteRow> {
  const site = await findSiteBySiteId(db, siteId);
  if (!site) throw new NotFoundError(`${field}: site ${siteId} not found`);
  if (!site.isActive || site.lifecycleState === "archived")
    throw new ConflictError(`${field}: site ${siteId} is archived; restore it first`);
  return site;
}
