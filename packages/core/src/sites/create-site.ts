import { sites } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, ValidationError } from "../errors.ts";
import { accessOf, authorize } from "../tenants/authorize.ts";
import { grants } from "../tenants/permissions.ts";
import { DEFAULT_TENANT_ID } from "../tenants/tenant.repository.ts";
import type { SiteRow } from "./site.repository.ts";

/** A site created without a tenant goes to the caller's only tenant they operate in, else the default tenant. */
function defaultTenantOf(ctx: Context): number {
  const access = accessOf(ctx);
  if (!access || access.everywhere) return DEFAULT_TENANT_ID;
  const mine = [...access.tenants].filter(([, role]) => grants(role, "operate")).map(([id]) => id);
  if (mine.length === 1) return mine[0] as number;
  if (mine.length === 0) return DEFAULT_TENANT_ID;
  throw new ValidationError("you operate in several tenants: say which one owns the site", "tenant_id");
}

export interface CreateSiteInput {
  siteId: string;
  name: string;
  description?: string | null | undefined;
  location?: string | null | undefined;
  timezone?: string | undefined;
  tenantId?: number | undefined;
}

/** Creates a site; 409 when the site id exists (also when it was deleted: ids are never reused). */
export async function createSite(ctx: Context, input: CreateSiteInput): Promise<SiteRow> {
  const tenantId = input.tenantId ?? defaultTenantOf(ctx);
  await authorize(ctx, "operate", { tenantId });
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
        tenantId,
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
