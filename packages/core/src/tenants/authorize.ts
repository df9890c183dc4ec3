import { alerts, deviceCommands, devices, enrolmentIntents, jobs, sites, tenants } from "@homepot/db";
import { type Column, eq, type SQL, sql } from "drizzle-orm";
import type { Access, Context, Role } from "../context.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { grants, type Permission, permitsSomewhere, rolesAt } from "./permissions.ts";
import { DEFAULT_TENANT_ID } from "./tenant.repository.ts";

/** What a request acts on, by the identifier it names. */
export type Target =
  | { tenantId: number }
  | { siteId: string }
  /** sites.id, as the original HOMEPOT's tenant routes name a site. */
  | { siteKey: number }
  | { deviceId: string }
  | { jobId: string }
  | { commandId: string }
  | { intentId: string }
  | { alertId: number };

/** The actor's access; a user built without one (a CLI or test context) acts everywhere with their role. */
export function accessOf(ctx: Context): Access | undefined {
  const actor = ctx.actor;
  if (actor.kind !== "user") return undefined;
  return (
    actor.access ?? { everywhere: actor.role, platform: actor.role === "admin", tenants: new Map(), sites: new Map() }
  );
}

/**
 * The one authorisation decision of the product, used by every route (through the auth plugin) and every front
 * end: may the actor do `permission`, on `target` when there is one? A target outside everything the actor can see
 * answers 404 exactly like one that does not exist, so ids of other tenants are never confirmed; a target seen but
 * not allowed answers 403. Devices and the system are authorised elsewhere (device keys) and pass.
 */
export async function authorize(ctx: Context, permission: Permission, target?: Target): Promise<void> {
  const access = accessOf(ctx);
  if (!access) return;
  // Everywhere means everywhere: nothing to look up (a target that does not exist is the use case's 404).
  if (permission === "platform" ? access.platform : grants(access.everywhere, permission)) return;
  if (!target) {
    if (!permitsSomewhere(access, permission)) throw new ForbiddenError(`Requires the ${permission} permission`);
    return;
  }
  const { seen, roles } = await rolesFor(ctx, access, target);
  if (!seen) throw new NotFoundError(`${describe(target)} not found`);
  const allowed = permission === "platform" ? access.platform : roles.some((role) => grants(role, permission));
  if (!allowed) throw new ForbiddenError(`Requires the ${permission} permission here`);
}

/** The roles the actor holds at the target, and whether they may know it exists at all. */
async function rolesFor(ctx: Context, access: Access, target: Target): Promise<{ seen: boolean; roles: Role[] }> {
  if ("tenantId" in target) {
    const [tenant] = await ctx.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, target.tenantId));
    if (!tenant) return { seen: false, roles: [] };
    const roles = [access.everywhere, access.tenants.get(tenant.id)].filter((r): r is Role => r !== undefined);
    if (roles.length > 0) return { seen: true, roles };
    // A member of one of its sites knows the tenant exists (it owns their site), with no role in it.
    const siteIds = await ctx.db.select({ id: sites.id }).from(sites).where(eq(sites.tenantId, tenant.id));
    return { seen: siteIds.some((r) => access.sites.has(r.id)), roles: [] };
  }
  const site = await siteOf(ctx, target);
  const roles = site ? rolesAt(access, site) : [];
  return { seen: roles.length > 0, roles };
}

/** The site (id and tenant) a target lives in, or undefined when it does not exist (or belongs to no site). */
async function siteOf(ctx: Context, target: Exclude<Target, { tenantId: number }>) {
  const columns = { id: sites.id, tenantId: sites.tenantId };
  const bySiteId = (siteId: SQL | Column) => ctx.db.select(columns).from(sites).where(eq(sites.siteId, siteId));
  // A device naming no site row (imported data) belongs to the default tenant.
  const bySiteOfDevice = (deviceId: SQL | Column | string) =>
    ctx.db
      .select({
        id: sql<number>`coalesce(${sites.id}, -1)`,
        tenantId: sql<number>`coalesce(${sites.tenantId}, ${DEFAULT_TENANT_ID})`,
      })
      .from(devices)
      .leftJoin(sites, eq(sites.siteId, devices.siteId))
      .where(eq(devices.deviceId, deviceId));
  let rows: Array<{ id: number; tenantId: number }>;
  if ("siteId" in target) rows = await bySiteId(sql`${target.siteId}`);
  else if ("siteKey" in target) rows = await ctx.db.select(columns).from(sites).where(eq(sites.id, target.siteKey));
  else if ("deviceId" in target) rows = await bySiteOfDevice(target.deviceId);
  else if ("jobId" in target) {
    rows = await ctx.db
      .select(columns)
      .from(jobs)
      .innerJoin(sites, eq(sites.id, jobs.siteId))
      .where(eq(jobs.jobId, target.jobId));
    // A job aimed at devices rather than a site lives where its devices do (only a caller who sees them all made it).
    if (rows.length === 0)
      rows = await bySiteOfDevice(
        sql`(select x from ${jobs} j, json_array_elements_text(j.device_ids) x where j.job_id = ${target.jobId} limit 1)`,
      );
  } else if ("commandId" in target)
    rows = await bySiteOfDevice(
      sql`(select c.device_id from ${deviceCommands} c where c.command_id = ${target.commandId} limit 1)`,
    );
  else if ("intentId" in target)
    rows = await bySiteId(sql`(select i.site_id from ${enrolmentIntents} i where i.intent_id = ${target.intentId})`);
  else
    rows = await ctx.db
      .select(columns)
      .from(alerts)
      .innerJoin(devices, eq(devices.deviceId, alerts.deviceId))
      .innerJoin(sites, eq(sites.siteId, devices.siteId))
      .where(eq(alerts.id, target.alertId))
      .union(
        ctx.db
          .select(columns)
          .from(alerts)
          .innerJoin(sites, eq(sites.siteId, alerts.siteId))
          .where(eq(alerts.id, target.alertId)),
      );
  return rows[0];
}

function describe(target: Target): string {
  if ("tenantId" in target) return `Tenant ${target.tenantId}`;
  if ("siteId" in target) return `Site ${target.siteId}`;
  if ("siteKey" in target) return `Site ${target.siteKey}`;
  if ("deviceId" in target) return `Device ${target.deviceId}`;
  if ("jobId" in target) return `Job ${target.jobId}`;
  if ("commandId" in target) return `Command ${target.commandId}`;
  if ("intentId" in target) return `Enrolment intent ${target.intentId}`;
  return `Alert ${target.alertId}`;
}

const list = (values: readonly number[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** The tenants and sites (sites.id) where the actor holds `permission`; undefined when that is everywhere. */
function reachOf(ctx: Context, permission: Permission): { tenantIds: number[]; siteIds: number[] } | undefined {
  const access = accessOf(ctx);
  if (!access) return undefined;
  if (permission === "platform") return access.platform ? undefined : { tenantIds: [], siteIds: [] };
  if (grants(access.everywhere, permission)) return undefined;
  return {
    tenantIds: [...access.tenants].filter(([, r]) => grants(r, permission)).map(([id]) => id),
    siteIds: [...access.sites].filter(([, r]) => grants(r, permission)).map(([id]) => id),
  };
}

/** The condition on a `sites s` row of the reach. */
function siteRowIn(reach: { tenantIds: number[]; siteIds: number[] }): SQL {
  const conditions: SQL[] = [];
  if (reach.tenantIds.length) conditions.push(sql`s.tenant_id in (${list(reach.tenantIds)})`);
  if (reach.siteIds.length) conditions.push(sql`s.id in (${list(reach.siteIds)})`);
  return conditions.length ? sql`(${sql.join(conditions, sql` or `)})` : sql`false`;
}

/** A site_id (text) of the reach; one naming no site row belongs to the default tenant. */
function siteIdIn(column: Column | SQL, reach: { tenantIds: number[]; siteIds: number[] }): SQL {
  const known = sql`${column} in (select s.site_id from ${sites} s where ${siteRowIn(reach)})`;
  if (!reach.tenantIds.includes(DEFAULT_TENANT_ID)) return known;
  return sql`(${known} or not exists (select 1 from ${sites} s where s.site_id = ${column}))`;
}

/**
 * How a table's rows belong to sites: by a device id (devices.device_id) or device key (devices.id), by a site id
 * (sites.site_id) or site key (sites.id); `platform` tables (requests, user activity) are platform admins' only.
 */
export type RowScope =
  | { device: Column | SQL }
  | { deviceKey: Column | SQL }
  | { site: Column | SQL }
  | { siteKey: Column | SQL }
  /** jobs: their site (sites.id), or for a job aimed at devices, those devices (a JSON array of device ids). */
  | { job: { siteKey: Column | SQL; deviceIds: Column | SQL } }
  /** configuration_history: an entity type ('device', 'site', …) and its id. */
  | { entity: { type: Column | SQL; id: Column | SQL } }
  | { platform: true };

/**
 * The WHERE condition keeping the rows the actor may see with `permission` (by default what the request was
 * authorised for), or undefined when they see every row. Every list goes through it.
 */
export function inScope(ctx: Context, scope: RowScope, permission = ctx.permission ?? "read"): SQL | undefined {
  const reach = reachOf(ctx, "platform" in scope ? "platform" : permission);
  if (!reach) return undefined;
  if ("platform" in scope) return sql`false`;
  const devicesIn = (key: "device_id" | "id") =>
    sql`(select d.${sql.raw(key)} from ${devices} d where ${siteIdIn(sql`d.site_id`, reach)})`;
  if ("site" in scope) return siteIdIn(scope.site, reach);
  if ("siteKey" in scope) return sql`${scope.siteKey} in (select s.id from ${sites} s where ${siteRowIn(reach)})`;
  // Rows about no device (a server or browser error) belong, like devices of no known site, to the default tenant.
  const orNone = (column: Column | SQL, inner: SQL) =>
    reach.tenantIds.includes(DEFAULT_TENANT_ID)
      ? sql`(${column} is null or ${column} in ${inner})`
      : sql`${column} in ${inner}`;
  if ("job" in scope) {
    const { siteKey, deviceIds } = scope.job;
    const bySite = sql`${siteKey} in (select s.id from ${sites} s where ${siteRowIn(reach)})`;
    const byDevices = sql`exists (select 1 from json_array_elements_text(${deviceIds}) x where x in ${devicesIn("device_id")})`;
    return sql`(${bySite} or (${siteKey} is null and ${byDevices}))`;
  }
  if ("device" in scope) return orNone(scope.device, devicesIn("device_id"));
  if ("deviceKey" in scope) return orNone(scope.deviceKey, devicesIn("id"));
  const { type, id } = scope.entity;
  return sql`((${type} = 'site' and ${siteIdIn(id, reach)}) or (${type} = 'device' and ${id} in ${devicesIn("device_id")}))`;
}
