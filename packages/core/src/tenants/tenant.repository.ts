import { type Db, type MemberRole, tenantMemberships, tenants } from "@homepot/db";
import { and, eq, sql } from "drizzle-orm";
import { NotFoundError } from "../errors.ts";

export type TenantRow = typeof tenants.$inferSelect;

/** The tenant every install starts with (migration 0023): sites created without a tenant belong to it. */
export const DEFAULT_TENANT_ID = 1;

export async function findTenant(db: Db, id: number): Promise<TenantRow> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
  if (!row) throw new NotFoundError(`Tenant ${id} not found`);
  return row;
}

/** An active tenant by its slug (case-insensitive). */
export async function findTenantBySlug(db: Db, slug: string): Promise<TenantRow | undefined> {
  const [row] = await db
    .select()
    .from(tenants)
    .where(and(sql`lower(${tenants.slug}) = ${slug.toLowerCase()}`, eq(tenants.isActive, true)));
  return row;
}

/** Gives a user `role` in a tenant, joining it when they are not a member yet. */
export async function setTenantRole(db: Db, userId: number, tenantId: number, role: MemberRole, now: Date) {
  await db
    .insert(tenantMemberships)
    .values({ userId, tenantId, role, createdAt: now })
    .onConflictDoUpdate({ target: [tenantMemberships.userId, tenantMemberships.tenantId], set: { role } });
}

/** The tenant as the original HOMEPOT's API shows it. */
export function presentTenant(t: TenantRow) {
  return {
    id: t.id,
    name: t.name,
    slug: t.slug,
    settings: t.settings,
    is_active: t.isActive,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}
