import { type Db, sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import { diffFields, recordEdit } from "../audit/record-edit.ts";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { updateOne } from "../rows.ts";
import type { SiteRow } from "./site.repository.ts";

export interface UpdateSiteInput {
  name?: string | undefined;
  description?: string | null | undefined;
  location?: string | null | undefined;
  timezone?: string | undefined;
  isActive?: boolean | undefined;
  requireDeviceApproval?: boolean | undefined;
}

const COLUMNS: Record<keyof UpdateSiteInput, string> = {
  name: "name",
  description: "description",
  location: "location",
  timezone: "timezone",
  isActive: "is_active",
  requireDeviceApproval: "require_device_approval",
};

/** Changes a site's fields; the audit row keeps the old and new values of what changed. */
export async function updateSite(ctx: Context, siteId: string, input: UpdateSiteInput): Promise<SiteRow> {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(sites).where(eq(sites.siteId, siteId)).for("update").limit(1);
    if (!before) throw new NotFoundError(`site ${siteId} not found`);
    const edit = diffFields(before, input, COLUMNS);
    if (Object.keys(edit.patch).length === 0) return before;
    const after = await updateSiteRow(tx, before, { ...edit.patch, updatedAt: ctx.clock.now() });
    await recordEdit(ctx, tx, `Site ${siteId}`, { eventType: "site_updated", siteId: before.id }, edit);
    return after;
  });
}

/** Writes a site row read earlier in the caller's transaction and returns it as stored; 404 when it is gone. */
export async function updateSiteRow(
  tx: Db,
  before: SiteRow,
  set: Partial<typeof sites.$inferInsert>,
): Promise<SiteRow> {
  const after = await updateOne(tx, sites, set, eq(sites.id, before.id));
  if (!after) throw new NotFoundError(`site ${before.siteId} not found`);
  return after;
}
