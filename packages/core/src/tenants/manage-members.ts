import { siteMemberships, sites, tenantMemberships, tenants, users } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context, Role } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { authorize } from "./authorize.ts";
import { findTenant } from "./tenant.repository.ts";

/** Where a membership applies: a whole tenant, or one site (sites.id) of it. */
export type MemberScope = { tenantId: number; siteKey?: number | undefined };

type MembershipRow = { id: number; userId: number; role: Role; createdAt: Date; scopeId: number };

/** The table behind a scope: tenant memberships key on tenant_id, site memberships on site_id (sites.id). */
function tableOf(scope: MemberScope) {
  return scope.siteKey === undefined
    ? { table: tenantMemberships, key: tenantMemberships.tenantId, id: scope.tenantId, kind: "tenant" as const }
    : { table: siteMemberships, key: siteMemberships.siteId, id: scope.siteKey, kind: "site" as const };
}

/** Checks the caller administers the scope, and that a site belongs to the tenant its route names. */
async function administer(ctx: Context, scope: MemberScope) {
  if (scope.siteKey === undefined) {
    await authorize(ctx, "administer", { tenantId: scope.tenantId });
    return findTenant(ctx.db, scope.tenantId);
  }
  await authorize(ctx, "administer", { siteKey: scope.siteKey });
  const [site] = await ctx.db
    .select({ tenantId: sites.tenantId })
    .from(sites)
    .where(and(eq(sites.id, scope.siteKey), eq(sites.tenantId, scope.tenantId)));
  if (!site) throw new NotFoundError("Site not found in this tenant");
  return findTenant(ctx.db, scope.tenantId);
}

async function membershipsOf(ctx: Context, scope: MemberScope, membershipId?: number): Promise<MembershipRow[]> {
  const { table, key, id } = tableOf(scope);
  return ctx.db
    .select({ id: table.id, userId: table.userId, role: table.role, createdAt: table.createdAt, scopeId: key })
    .from(table)
    .where(and(eq(key, id), membershipId === undefined ? undefined : eq(table.id, membershipId)))
    .orderBy(table.id);
}

export function presentMembership(scope: MemberScope, m: MembershipRow) {
  return {
    id: m.id,
    user_id: m.userId,
    ...(scope.siteKey === undefined ? { tenant_id: m.scopeId } : { site_id: m.scopeId, tenant_id: scope.tenantId }),
    role: m.role,
    created_at: m.createdAt.toISOString(),
  };
}

export async function listMembers(ctx: Context, scope: MemberScope): Promise<MembershipRow[]> {
  await administer(ctx, scope);
  return membershipsOf(ctx, scope);
}

/** Adds a user to a tenant or a site with a role; 404 for an unknown user, 409 when they are a member already. */
export async function addMember(
  ctx: Context,
  scope: MemberScope,
  input: { userId: number; role: Role },
): Promise<MembershipRow> {
  const tenant = await administer(ctx, scope);
  const [user] = await ctx.db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!user) throw new NotFoundError("User not found");
  const { id, kind } = tableOf(scope);
  const base = { userId: user.id, role: input.role, createdAt: ctx.clock.now() };
  return ctx.db.transaction(async (tx) => {
    const [row] =
      kind === "tenant"
        ? await tx
            .insert(tenantMemberships)
            .values({ ...base, tenantId: id })
            .onConflictDoNothing()
            .returning({ id: tenantMemberships.id })
        : await tx
            .insert(siteMemberships)
            .values({ ...base, siteId: id })
            .onConflictDoNothing()
            .returning({ id: siteMemberships.id });
    if (!row) throw new ConflictError(`User is already a member of this ${kind}`);
    await recordAudit(
      ctx,
      {
        eventType: "membership_added",
        description: `${user.username} added to ${kind} ${kind === "tenant" ? tenant.slug : id} as ${input.role}`,
        newValues: { user_id: user.id, [`${kind}_id`]: id, role: input.role },
        ...(kind === "site" ? { siteId: id } : {}),
      },
      tx,
    );
    const [created] = await membershipsOf({ ...ctx, db: tx }, scope, row.id);
    return created as MembershipRow;
  });
}

/** Changes a member's role, or removes the membership (`role` null); answers the membership as it now is (or was). */
export async function changeMember(
  ctx: Context,
  scope: MemberScope,
  membershipId: number,
  role: Role | null,
): Promise<MembershipRow> {
  await administer(ctx, scope);
  const [before] = await membershipsOf(ctx, scope, membershipId);
  const { table, kind, id } = tableOf(scope);
  if (!before) throw new NotFoundError(kind === "tenant" ? "Membership not found" : "Site membership not found");
  return ctx.db.transaction(async (tx) => {
    if (role === null) await tx.delete(table).where(eq(table.id, membershipId));
    else await tx.update(table).set({ role }).where(eq(table.id, membershipId));
    await recordAudit(
      ctx,
      {
        eventType: role === null ? "membership_removed" : "membership_updated",
        description: `User ${before.userId} ${role === null ? "removed from" : `is now ${role} in`} ${kind} ${id}`,
        oldValues: { role: before.role },
        newValues: role === null ? null : { role },
        metadata: { target_user_id: before.userId },
      },
      tx,
    );
    return role === null ? before : { ...before, role };
  });
}

/** Users who belong to a tenant, directly or through one of its sites, with their role there. */
export async function listTenantUsers(ctx: Context, tenantId: number) {
  await administer(ctx, { tenantId });
  const [direct, bySite] = await Promise.all([
    ctx.db
      .select({ user: users, role: tenantMemberships.role })
      .from(tenantMemberships)
      .innerJoin(users, eq(users.id, tenantMemberships.userId))
      .where(eq(tenantMemberships.tenantId, tenantId)),
    ctx.db
      .select({ user: users, role: siteMemberships.role, siteId: sites.siteId })
      .from(siteMemberships)
      .innerJoin(sites, eq(sites.id, siteMemberships.siteId))
      .innerJoin(users, eq(users.id, siteMemberships.userId))
      .where(eq(sites.tenantId, tenantId)),
  ]);
  return { direct, bySite };
}

/** The caller's own memberships, with the names of what they belong to. */
export async function myMemberships(ctx: Context) {
  if (ctx.actor.kind !== "user") return { tenant_memberships: [], site_memberships: [] };
  const userId = ctx.actor.userId;
  const [tenantRows, siteRows] = await Promise.all([
    ctx.db
      .select({ m: tenantMemberships, name: tenants.name, slug: tenants.slug })
      .from(tenantMemberships)
      .innerJoin(tenants, eq(tenants.id, tenantMemberships.tenantId))
      .where(and(eq(tenantMemberships.userId, userId), eq(tenants.isActive, true))),
    ctx.db
      .select({ m: siteMemberships, code: sites.siteId, name: sites.name, tenantId: sites.tenantId })
      .from(siteMemberships)
      .innerJoin(sites, eq(sites.id, siteMemberships.siteId))
      .where(eq(siteMemberships.userId, userId)),
  ]);
  return {
    tenant_memberships: tenantRows.map((r) => ({
      id: r.m.id,
      tenant_id: r.m.tenantId,
      role: r.m.role,
      tenant_name: r.name,
      tenant_slug: r.slug,
    })),
    site_memberships: siteRows.map((r) => ({
      id: r.m.id,
      site_id: r.m.siteId,
      role: r.m.role,
      site_code: r.code,
      site_name: r.name,
      tenant_id: r.tenantId,
    })),
  };
}
