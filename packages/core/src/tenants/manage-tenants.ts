import { tenantMemberships, tenants } from "@homepot/db";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { accessOf, authorize } from "./authorize.ts";
import { DEFAULT_TENANT_ID, findTenant, type TenantRow } from "./tenant.repository.ts";

export interface TenantInput {
  name: string;
  slug: string;
  settings?: Record<string, unknown> | undefined;
}

/** A platform admin creates a tenant; 409 when the slug is taken (case-insensitively). */
export async function createTenant(ctx: Context, input: TenantInput): Promise<TenantRow> {
  await authorize(ctx, "platform");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(tenants)
      .values({ name: input.name, slug: input.slug, settings: input.settings ?? {}, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError(`Tenant with slug '${input.slug}' already exists`);
    await recordAudit(
      ctx,
      { eventType: "tenant_created", description: `Tenant ${row.name} (${row.slug}) created`, newValues: input },
      tx,
    );
    return row;
  });
}

/** Active tenants by name: all of them for a platform admin, the ones a user is a member of otherwise. */
export async function listTenants(ctx: Context, input: { includeInactive?: boolean | undefined } = {}) {
  const access = accessOf(ctx);
  const mine = access && !access.everywhere ? [...access.tenants.keys()] : undefined;
  if (mine?.length === 0) return [];
  return ctx.db
    .select()
    .from(tenants)
    .where(
      and(input.includeInactive ? undefined : eq(tenants.isActive, true), mine ? inArray(tenants.id, mine) : undefined),
    )
    .orderBy(asc(tenants.name));
}

export async function getTenant(ctx: Context, id: number): Promise<TenantRow> {
  await authorize(ctx, "inventory", { tenantId: id });
  return findTenant(ctx.db, id);
}

/** A platform admin renames a tenant, changes its settings or (re)activates it. */
export async function updateTenant(
  ctx: Context,
  id: number,
  input: { name?: string | undefined; settings?: Record<string, unknown> | undefined; isActive?: boolean | undefined },
): Promise<TenantRow> {
  await authorize(ctx, "platform", { tenantId: id });
  const before = await findTenant(ctx.db, id);
  if (input.isActive === false) refuseDefault(id);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(tenants)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.settings !== undefined ? { settings: input.settings } : {}),
        ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
        updatedAt: ctx.clock.now(),
      })
      .where(eq(tenants.id, id))
      .returning();
    await recordAudit(
      ctx,
      {
        eventType: "tenant_updated",
        description: `Tenant ${before.slug} updated`,
        oldValues: { name: before.name, settings: before.settings, is_active: before.isActive },
        newValues: input,
      },
      tx,
    );
    return row as TenantRow;
  });
}

/** Deactivates a tenant (its data is kept; its members lose access at once); the default tenant stays. */
export async function deleteTenant(ctx: Context, id: number): Promise<void> {
  await updateTenant(ctx, id, { isActive: false });
}

function refuseDefault(id: number) {
  if (id === DEFAULT_TENANT_ID) throw new ConflictError("The default tenant cannot be deactivated");
}

/** The number of members of each tenant (for the tenants page). */
export async function countTenantMembers(ctx: Context): Promise<Map<number, number>> {
  const rows = await ctx.db
    .select({ tenantId: tenantMemberships.tenantId, n: sql<number>`count(*)::int` })
    .from(tenantMemberships)
    .groupBy(tenantMemberships.tenantId);
  return new Map(rows.map((r) => [r.tenantId, r.n]));
}
