import { sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { lockSite } from "./lock-site.ts";

/**
 * Brings an archived site back. Its devices stay suspended until they are resumed one by one or all at once
 * (resumeSiteDevices), so nothing reports again before an operator says so. Restoring an active site changes nothing.
 */
export async function restoreSite(ctx: Context, siteId: string): Promise<{ siteId: string; already: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const site = await lockSite(tx, siteId);
    if (site.lifecycleState === "active" && site.isActive) return { siteId: site.siteId, already: true };
    const now = ctx.clock.now();
    await tx
      .update(sites)
      .set({ isActive: true, lifecycleState: "active", archivedAt: null, updatedAt: now })
      .where(eq(sites.id, site.id));
    await recordAudit(
      ctx,
      {
        eventType: "site_restored",
        description: `Site ${site.siteId} restored (its devices stay suspended until resumed)`,
        siteId: site.id,
        oldValues: { lifecycle_state: site.lifecycleState, is_active: site.isActive },
        newValues: { lifecycle_state: "active", is_active: true },
      },
      tx,
    );
    return { siteId: site.siteId, already: false };
  });
}
