import { sites } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import type { SiteRow } from "./site.repository.ts";

export interface CreateSiteInput {
  siteId: string;
  name: string;
  description?: string | null | undefined;
  location?: string | null | undefined;
  timezone?: string | undefined;
}

/** Creates a site; 409 when the site id exists (also when it was deleted: ids are never reused). */
export async function createSite(ctx: Context, input: CreateSiteInput): Promise<SiteRow> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sites)
      .values({
        siteId: input.siteId,
        name: input.name,
        description: input.description ?? null,
        location: input.location ?? null,
        timezone: input.timezone ?? "UTC",
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError(`site ${input.siteId} already exists`);
    await recordAudit(
      ctx,
      {
        eventType: "site_created",
        description: `Site ${row.siteId} (${row.name}) created`,
        siteId: row.id,
        newValues: { site_id: row.siteId, name: row.name, location: row.location, timezone: row.timezone },
      },
      tx,
    );
    return row;
  });
}
