import { sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { SiteRow } from "./site.repository.ts";

export interface UpdateSiteInput {
  name?: string | undefined;
  description?: string | null | undefined;
  location?: string | null | undefined;
  timezone?: string | undefined;
  isActive?: boolean | undefined;
  requireDeviceApproval?: boolean | undefined;
}

/** Changes a site's fields; the audit row keeps the old and new values of what changed. */
export async function updateSite(ctx: Context, siteId: string, input: UpdateSiteInput): Promise<SiteRow> {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(sites).where(eq(sites.siteId, siteId)).for("update").limit(1);
    if (!before) throw new NotFoundError(`site ${siteId} not found`);
    const patch: Partial<typeof sites.$inferInsert> = {};
    const oldValues: Record<string, unknown> = {};
    const newValues: Record<string, unknown> = {};
    const set = <K extends keyof UpdateSiteInput & keyof SiteRow>(key: K, column: string) => {
      const value = input[key];
      if (value === undefined || value === before[key]) return;
      (patch as Record<string, unknown>)[key] = value;
      oldValues[column] = before[key];
      newValues[column] = value;
    };
    set("name", "name");
    set("description", "description");
    set("location", "location");
    set("timezone", "timezone");
    set("isActive", "is_active");
    set("requireDeviceApproval", "require_device_approval");
    if (Object.keys(patch).length === 0) return before;
    const [after] = await tx
      .update(sites)
      .set({ ...patch, updatedAt: ctx.clock.now() })
      .where(eq(sites.id, before.id))
      .returning();
    if (!after) throw new NotFoundError(`site ${siteId} not found`);
    await recordAudit(
      ctx,
      {
        eventType: "site_updated",
        description: `Site ${siteId} updated (${Object.keys(newValues).join(", ")})`,
        siteId: before.id,
        oldValues,
        newValues,
      },
      tx,
    );
    return after;
  });
}
