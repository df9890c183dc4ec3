import { sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { countActiveDevicesOfSite, type SiteRow } from "./site.repository.ts";

/**
 * Soft-deletes a site (is_active = false; its history stays). Refused with 409 while it still has
 * active devices, so no device is orphaned silently.
 */
export async function deleteSite(ctx: Context, siteId: string): Promise<SiteRow> {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(sites).where(eq(sites.siteId, siteId)).for("update").limit(1);
    if (!before?.isActive) throw new NotFoundError(`site ${siteId} not found`);
    const active = await countActiveDevicesOfSite(tx, siteId);
    if (active > 0)
      throw new ConflictError(`site ${siteId} still has ${active} active device(s); delete or move them first`);
    const [after] = await tx
      .update(sites)
      .set({ isActive: false, updatedAt: ctx.clock.now() })
      .where(eq(sites.id, before.id))
      .returning();
    if (!after) throw new NotFoundError(`site ${siteId} not found`);
    await recordAudit(
      ctx,
      {
        eventType: "site_deleted",
        description: `Site ${siteId} deleted`,
        siteId: before.id,
        oldValues: { is_active: true },
        newValues: { is_active: false },
      },
      tx,
    );
    return after;
  });
}
