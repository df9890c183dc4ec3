import { devices, sites, tenants } from "@homepot/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { accessOf, authorize } from "./authorize.ts";
import { grants, type Permission } from "./permissions.ts";
import { DEFAULT_TENANT_ID } from "./tenant.repository.ts";

// Objects a tenant may own (alert rules, notification channels): `tenant_id` null means platform-wide, made and
// changed by platform admins only; a tenant's object by its tenant-level admins (and platform admins).

/** The tenants where the actor holds `permission` by tenant membership; undefined when that is everywhere. */
export function tenantsWith(ctx: Context, permission: Permission): Set<number> | undefined {
  const access = accessOf(ctx);
  if (!access || (permission === "platform" ? access.platform : grants(access.everywhere, permission)))
    return undefined;
  return new Set([...access.tenants].filter(([, r]) => grants(r, permission)).map(([id]) => id));
}

/** The tenants where the actor holds `permission` somewhere: as their member or at one of their sites. */
export async function tenantsReached(ctx: Context, permission: Permission): Promise<Set<number> | undefined> {
  const own = tenantsWith(ctx, permission);
  const access = accessOf(ctx);
  if (!own || !access) return undefined;
  const siteKeys = [...access.sites].filter(([, r]) => grants(r, permission)).map(([id]) => id);
  if (siteKeys.length === 0) return own;
  const rows = await ctx.db.select({ tenantId: sites.tenantId }).from(sites).where(inArray(sites.id, siteKeys));
  return new Set([...own, ...rows.map((r) => r.tenantId)]);
}

/**
 * The owner of an object being created. A platform admin names a tenant or none (platform-wide); a tenant admin
 * names one of the tenants they administer, or none when they administer exactly one. Another tenant: 404.
 */
export async function chooseOwnerTenant(ctx: Context, requested: number | null | undefined): Promise<number | null> {
  const managed = tenantsWith(ctx, "administer");
  if (requested == null) {
    if (!managed) return null;
    const [only, ...more] = [...managed];
    if (only !== undefined && more.length === 0) return only;
    if (only === undefined) throw new ForbiddenError("Requires the administer permission in a tenant");
    throw new ValidationError("tenant_id: required, you administer several tenants", "tenant_id");
  }
  try {
    await authorize(ctx, "administer", { tenantId: requested });
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(`Tenant ${requested} not found (tenant_id)`);
    throw error;
  }
  // Everywhere-admins pass authorize without a look-up: the tenant must still exist.
  const [row] = await ctx.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, requested));
  if (!row) throw new NotFoundError(`Tenant ${requested} not found (tenant_id)`);
  return requested;
}

/** May the actor change an object of `tenantId`? Platform-wide ones need the platform permission (403 when not). */
export async function authorizeOwner(ctx: Context, tenantId: number | null): Promise<void> {
  await authorize(ctx, tenantId === null ? "platform" : "administer", tenantId === null ? undefined : { tenantId });
}

/**
 * A tenant's object may name only that tenant's sites and devices: any other, like one that does not exist, is a
 * 404 naming the field (`field` + ".site_ids" / ".device_ids"). Platform-wide objects (tenant null) name anything.
 */
export async function checkNamesInTenant(
  ctx: Context,
  tenantId: number | null,
  named: { siteIds?: readonly string[]; deviceIds?: readonly string[] },
  field: { sites: string; devices?: string },
): Promise<void> {
  if (tenantId === null) return;
  const siteIds = [...new Set(named.siteIds ?? [])];
  if (siteIds.length) {
    const rows = await ctx.db
      .select({ id: sites.siteId })
      .from(sites)
      .where(and(inArray(sites.siteId, siteIds), eq(sites.tenantId, tenantId)));
    const found = new Set(rows.map((r) => r.id));
    const missing = siteIds.find((id) => !found.has(id));
    if (missing !== undefined) throw new NotFoundError(`Site ${missing} not found (${field.sites})`);
  }
  const deviceIds = [...new Set(named.deviceIds ?? [])];
  if (deviceIds.length) {
    // A device naming no site row belongs to the default tenant (as everywhere else).
    const rows = await ctx.db
      .select({ id: devices.deviceId })
      .from(devices)
      .leftJoin(sites, eq(sites.siteId, devices.siteId))
      .where(
        and(
          inArray(devices.deviceId, deviceIds),
          eq(devices.isActive, true),
          sql`coalesce(${sites.tenantId}, ${DEFAULT_TENANT_ID}) = ${tenantId}`,
        ),
      );
    const found = new Set(rows.map((r) => r.id));
    const missing = deviceIds.find((id) => !found.has(id));
    if (missing !== undefined)
      throw new NotFoundError(`Device ${missing} not found (${field.devices ?? "device_ids"})`);
  }
}

/** The tenant an alert belongs to: its site's, else its device's site's, else (no known site) the default tenant. */
export async function findTenantOfAlert(
  ctx: Context,
  alert: { siteId: string | null; deviceId: string | null },
): Promise<number> {
  const bySite = alert.siteId
    ? await ctx.db.select({ tenantId: sites.tenantId }).from(sites).where(eq(sites.siteId, alert.siteId))
    : [];
  if (bySite[0]) return bySite[0].tenantId;
  if (alert.deviceId) {
    const [row] = await ctx.db
      .select({ tenantId: sites.tenantId })
      .from(devices)
      .innerJoin(sites, eq(sites.siteId, devices.siteId))
      .where(eq(devices.deviceId, alert.deviceId));
    if (row) return row.tenantId;
  }
  return DEFAULT_TENANT_ID;
}
