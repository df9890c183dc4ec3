import { type Db, sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import { NotFoundError } from "../errors.ts";
import type { SiteRow } from "../sites/site.repository.ts";

/** The site row locked for update inside a transaction; 404 when unknown. */
export async function lockSite(tx: Db, siteId: string): Promise<SiteRow> {
  const [site] = await tx.select().from(sites).where(eq(sites.siteId, siteId)).for("update").limit(1);
  if (!site) throw new NotFoundError(`site ${siteId} not found`);
  return site;
}
