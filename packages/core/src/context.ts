import type { Db } from "@homepot/db";
import type { SignalSink } from "./signals.ts";

/** admin > operator > installer > viewer; an installer onboards and sees devices of its sites, nothing else. */
export type Role = "admin" | "operator" | "installer" | "viewer";
export const roles: readonly Role[] = ["admin", "operator", "installer", "viewer"];
const ROLE_RANK: Record<Role, number> = { viewer: 1, installer: 2, operator: 3, admin: 4 };
/** True when `role` may do what `required` may. */
export const roleAtLeast = (role: Role, required: Role): boolean => ROLE_RANK[role] >= ROLE_RANK[required];
/** The lesser of two roles (an API token acts with the lower of its scope and its owner's role). */
export const lowerRole = (a: Role, b: Role): Role => (ROLE_RANK[a] <= ROLE_RANK[b] ? a : b);

/**
 * What a route or use case needs. `read`: device data and insights; `inventory`: sites and devices themselves;
 * `onboard`: register and enrol devices; `operate`: jobs, commands, lifecycle; `analyze`: the analytics tables of
 * one's own sites; `administer`: a tenant's settings, members and destructive actions; `platform`: tenants and
 * platform-wide tables (api_request_logs, user_activities, users).
 */
export type Permission = "read" | "inventory" | "onboard" | "operate" | "analyze" | "administer" | "platform";

/**
 * Where a signed-in user may act (loaded by tenants/load-access.ts): everywhere with `everywhere`'s role (a platform
 * admin, capped by an API token's scope), and in the tenants and sites (by `sites.id`) of their memberships.
 */
export interface Access {
  everywhere?: Role;
  /** Manages tenants and reads platform-wide tables (api_request_logs, user_activities, users). */
  platform: boolean;
  tenants: ReadonlyMap<number, Role>;
  sites: ReadonlyMap<number, Role>;
}

/** Who is acting: a signed-in user, an authenticated device, or the system itself. */
export type Actor =
  | {
      kind: "user";
      userId: number;
      username: string;
      email: string;
      /** The highest role the user holds anywhere (platform admin: admin); what they may do where is `access`. */
      role: Role;
      /** Where the user may act and with which role (tenants, sites); loaded once the request is authorised. */
      access?: Access;
      ip?: string;
      userAgent?: string;
    }
  | { kind: "device"; deviceId: string; ip?: string; userAgent?: string }
  /** The server itself, or an anonymous HTTP client (sign-up, a failed login: then `ip` is the client's). */
  | { kind: "system"; name?: string; ip?: string; userAgent?: string };

export interface Logger {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Everything a use case may touch; front ends (HTTP, CLI, simulator, tests) build one and pass it in. */
export interface Context {
  db: Db;
  actor: Actor;
  clock: Clock;
  logger: Logger;
  /**
   * Where lag-tolerant reads go (analytics lists, rollups, insights, exports, summaries): a streaming replica while
   * it is healthy, else the primary; absent means `db`. Never for a read that must see the caller's own write.
   */
  reads?: Db;
  /** Where write paths report what happened (the alert engine); absent outside the server. */
  signals?: SignalSink;
  /** What the request was authorised for: lists keep to the sites where the actor holds it (default `read`). */
  permission?: Permission;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
export const systemActor: Actor = { kind: "system" };

/** The identifier analytics tables store for an actor (user id as text, the device id, or "system"). */
export function actorLabel(actor: Actor): string {
  if (actor.kind === "user") return String(actor.userId);
  if (actor.kind === "device") return actor.deviceId;
  return actor.name ?? "system";
}

/** The `authored()` columns of a row the actor makes now (a rule, a channel, a template): by whom, created, changed. */
export function authoredNow(ctx: Context): { createdBy: string; createdAt: Date; updatedAt: Date } {
  const now = ctx.clock.now();
  return { createdBy: actorLabel(ctx.actor), createdAt: now, updatedAt: now };
}

/** The database for a lag-tolerant read: the read replica when the server routes reads there, else `db`. */
export function readDb(ctx: Context): Db {
  return ctx.reads ?? ctx.db;
}

export function withActor(ctx: Context, actor: Actor): Context {
  return { ...ctx, actor };
}

/** The context of work the system does on its own (background tasks, the CLI, benchmarks), named for audit rows. */
export function systemContext(
  db: Db,
  name: string,
  options: { clock?: Clock; logger?: Logger; signals?: SignalSink } = {},
): Context {
  return {
    db,
    actor: { kind: "system", name },
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    ...(options.signals ? { signals: options.signals } : {}),
  };
}
