import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  json,
  pgTable,
  serial,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import { role, timestamps, utcNow } from "./columns.ts";
import { sites } from "./core.ts";
import { ownerUser } from "./references.ts";

export type { MemberRole } from "./columns.ts";

/** A retailer (or a region of one) owning sites. Migration 0023 moved every existing site into `default`. */
export const tenants = pgTable(
  "tenants",
  {
    id: serial("id").primaryKey(),
    name: varchar("name", { length: 100 }).notNull(),
    slug: varchar("slug", { length: 50 }).notNull(),
    settings: json("settings").$type<Record<string, unknown>>().notNull().default({}),
    isActive: boolean("is_active").notNull().default(true),
    ...timestamps(),
  },
  (t) => [uniqueIndex("tenants_slug_uq").on(sql`lower(${t.slug})`)],
);

/**
 * The columns of a membership: the member, what it is a member of (`key`: the tenant's or the site's column, a
 * reference to `target`), and the role granted there. The row goes when either the account or the target goes.
 */
function membershipColumns<K extends string>(key: K, column: "tenant_id" | "site_id", target: () => AnyPgColumn) {
  const scope = integer(column).notNull().references(target, { onDelete: "cascade" });
  return {
    id: serial("id").primaryKey(),
    userId: ownerUser(),
    ...({ [key]: scope } as Record<K, typeof scope>),
    role: role(),
    createdAt: utcNow("created_at"),
  };
}

/** One membership per user and tenant (or site), and the members of one tenant (or site) by index. */
function membershipKeys(table: string, scope: "tenant" | "site", userId: AnyPgColumn, scopeId: AnyPgColumn) {
  return [uniqueIndex(`${table}_user_${scope}_uq`).on(userId, scopeId), index(`${table}_${scope}_idx`).on(scopeId)];
}

/** A user's role in every site of a tenant. */
export const tenantMemberships = pgTable(
  "tenant_memberships",
  membershipColumns("tenantId", "tenant_id", () => tenants.id),
  (t) => membershipKeys("tenant_memberships", "tenant", t.userId, t.tenantId),
);

/** A user's role in one site (a store manager, an installer), on top of any tenant membership. */
export const siteMemberships = pgTable(
  "site_memberships",
  membershipColumns("siteId", "site_id", () => sites.id),
  (t) => membershipKeys("site_memberships", "site", t.userId, t.siteId),
);
