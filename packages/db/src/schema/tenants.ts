import { sql } from "drizzle-orm";
import { boolean, index, integer, json, pgTable, serial, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { utcNow } from "./columns.ts";
import { sites, users } from "./core.ts";

/** A role inside a tenant or a site: admin > operator > installer > viewer (installer: onboards devices only). */
export type MemberRole = "admin" | "operator" | "installer" | "viewer";

/** A retailer (or a region of one) owning sites. Migration 0023 moved every existing site into `default`. */
export const tenants = pgTable(
  "tenants",
  {
    id: serial("id").primaryKey(),
    name: varchar("name", { length: 100 }).notNull(),
    slug: varchar("slug", { length: 50 }).notNull(),
    settings: json("settings").$type<Record<string, unknown>>().notNull().default({}),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: utcNow("created_at"),
    updatedAt: utcNow("updated_at"),
  },
  (t) => [uniqueIndex("tenants_slug_uq").on(sql`lower(${t.slug})`)],
);

/** A user's role in every site of a tenant. */
export const tenantMemberships = pgTable(
  "tenant_memberships",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tenantId: integer("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    role: varchar("role", { length: 20 }).$type<MemberRole>().notNull(),
    createdAt: utcNow("created_at"),
  },
  (t) => [
    uniqueIndex("tenant_memberships_user_tenant_uq").on(t.userId, t.tenantId),
    index("tenant_memberships_tenant_idx").on(t.tenantId),
  ],
);

/** A user's role in one site (a store manager, an installer), on top of any tenant membership. */
export const siteMemberships = pgTable(
  "site_memberships",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    role: varchar("role", { length: 20 }).$type<MemberRole>().notNull(),
    createdAt: utcNow("created_at"),
  },
  (t) => [
    uniqueIndex("site_memberships_user_site_uq").on(t.userId, t.siteId),
    index("site_memberships_site_idx").on(t.siteId),
  ],
);
