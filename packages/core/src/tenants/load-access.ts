import { type Db, siteMemberships, sites, tenantMemberships, tenants } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import type { Access, Role } from "../context.ts";
import { bestRole, capAccess, rolesAt } from "./permissions.ts";

/** An API token's limits: its scope's role, and optionally one tenant and/or one site (sites.id). */
export interface AccessCap {
  role: Role;
  tenantId?: number | null | undefined;
  siteId?: number | null | undefined;
}

/**
 * Where a user may act: a platform admin (users.role admin) everywhere, everyone else through their memberships in
 * active tenants and in sites of active tenants. A token's cap lowers every role and may narrow the reach.
 */
export async function loadAccess(db: Db, user: { id: number; isAdmin: boolean }, cap?: AccessCap): Promise<Access> {
  const [tenantRows, siteRows] = await Promise.all([
    db
      .select({ tenantId: tenantMemberships.tenantId, role: tenantMemberships.role })
      .from(tenantMemberships)
      .innerJoin(tenants, eq(tenants.id, tenantMemberships.tenantId))
      .where(and(eq(tenantMemberships.userId, user.id), eq(tenants.isActive, true))),
    db
      .select({ siteId: siteMemberships.siteId, tenantId: sites.tenantId, role: siteMemberships.role })
      .from(siteMemberships)
      .innerJoin(sites, eq(sites.id, siteMemberships.siteId))
      .innerJoin(tenants, eq(tenants.id, sites.tenantId))
      .where(and(eq(siteMemberships.userId, user.id), eq(tenants.isActive, true))),
  ]);
  // users.is_admin marks a platform admin; a tenant's admin is an admin by membership only.
  const platform = user.isAdmin;
  let access: Access = {
    ...(platform ? { everywhere: "admin" as const } : {}),
    platform,
    tenants: new Map(tenantRows.map((r) => [r.tenantId, r.role])),
    sites: new Map(siteRows.map((r) => [r.siteId, r.role])),
  };
  if (!cap) return access;
  access = capAccess(access, cap.role);
  if (cap.siteId != null) {
    const [site] = await db.select({ tenantId: sites.tenantId }).from(sites).where(eq(sites.id, cap.siteId));
    const best = site ? bestRole(rolesAt(access, { id: cap.siteId, tenantId: site.tenantId })) : undefined;
    return { platform: false, tenants: new Map(), sites: new Map(best ? [[cap.siteId, best]] : []) };
  }
  if (cap.tenantId != null) {
    const tenantId = cap.tenantId;
    const tenantRole = bestRole([access.everywhere, access.tenants.get(tenantId)]);
    const tenantOf = new Map(siteRows.map((r) => [r.siteId, r.tenantId]));
    return {
      platform: false,
      tenants: new Map(tenantRole ? [[tenantId, tenantRole]] : []),
      sites: new Map([...access.sites].filter(([id]) => tenantOf.get(id) === tenantId)),
    };
  }
  return access;
}
