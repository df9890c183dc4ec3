import { devices, sites } from "@homepot/db";
import { and, eq, inArray } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import type { DeviceRow } from "../devices/device.repository.ts";
import { bumpKeyEpoch } from "../devices/key-epoch.ts";
import { announce } from "../devices/lifecycle-bus.ts";
import { lockSite } from "./lock-site.ts";
import { recordTransition } from "./record-transition.ts";

/**
 * Archives a site (the default of DELETE /sites/{id}): it leaves the lists, its data stays, and every active
 * or pending device of it is suspended (each with its lifecycle event), all in one transaction.
 * Archiving an archived site changes nothing. Returns how many devices were suspended.
 */
export async function archiveSite(
  ctx: Context,
  siteId: string,
  reason?: string | null,
): Promise<{ siteId: string; suspended: number; already: boolean }> {
  const after: DeviceRow[] = [];
  const r = await ctx.db.transaction(async (tx) => {
    const site = await lockSite(tx, siteId);
    if (site.lifecycleState === "archived") return { siteId: site.siteId, suspended: 0, already: true };
    const now = ctx.clock.now();
    await tx
      .update(sites)
      .set({ isActive: false, lifecycleState: "archived", archivedAt: now, updatedAt: now })
      .where(eq(sites.id, site.id));
    const toSuspend = await tx
      .select()
      .from(devices)
      .where(
        and(
          eq(devices.siteId, site.siteId),
          eq(devices.isActive, true),
          inArray(devices.lifecycleState, ["active", "pending"]),
        ),
      )
      .orderBy(devices.id)
      .for("update");
    const why = `site ${site.siteId} archived${reason?.trim() ? `: ${reason.trim()}` : ""}`;
    for (const d of toSuspend)
      after.push(await recordTransition(ctx, tx, d, { action: "suspend", to: "suspended" }, { reason: why }));
    if (toSuspend.length) await bumpKeyEpoch(tx);
    await recordAudit(
      ctx,
      {
        eventType: "site_archived",
        description: `Site ${site.siteId} archived (data kept; ${toSuspend.length} device(s) suspended)`,
        siteId: site.id,
        oldValues: { lifecycle_state: site.lifecycleState, is_active: site.isActive },
        newValues: {
          lifecycle_state: "archived",
          is_active: false,
          suspended_devices: toSuspend.map((d) => d.deviceId),
        },
        metadata: { cleanup_policy: "archive", reason: reason ?? null },
      },
      tx,
    );
    return { siteId: site.siteId, suspended: toSuspend.length, already: false };
  });
  announce(after);
  return r;
}
