import { type Access, lowerRole, type Permission, type Role, roleAtLeast } from "../context.ts";

export type { Permission };

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(["read", "inventory"]),
  installer: new Set(["inventory", "onboard"]),
  operator: new Set(["read", "inventory", "onboard", "operate", "analyze"]),
  admin: new Set(["read", "inventory", "onboard", "operate", "analyze", "administer"]),
};

/** The permission a route declared by role before tenants existed stands for. */
export const PERMISSION_OF_ROLE: Record<Role, Permission> = {
  viewer: "read",
  installer: "onboard",
  operator: "operate",
  admin: "administer",
};

export const grants = (role: Role | undefined, permission: Permission): boolean =>
  role !== undefined && GRANTS[role].has(permission);

/** The roles that apply at a site: everywhere's, the site's tenant's and the site's own. */
export function rolesAt(access: Access, site: { id: number; tenantId: number }): Role[] {
  return [access.everywhere, access.tenants.get(site.tenantId), access.sites.get(site.id)].filter(
    (r): r is Role => r !== undefined,
  );
}

/** True when the access allows `permission` somewhere (a route's first check, before its target is known). */
export function permitsSomewhere(access: Access, permission: Permission): boolean {
  if (permission === "platform") return access.platform;
  const all = [access.everywhere, ...access.tenants.values(), ...access.sites.values()];
  return all.some((role) => grants(role, permission));
}

/** The highest of some roles (undefined entries ignored). */
export function bestRole(roles: ReadonlyArray<Role | undefined>): Role | undefined {
  return roles.reduce<Role | undefined>(
    (best, r) => (r === undefined ? best : best === undefined || roleAtLeast(r, best) ? r : best),
    undefined,
  );
}

/** The highest role held anywhere (what the dashboard's navigation is built from). */
export function highestRole(access: Access): Role | undefined {
  return bestRole([access.everywhere, ...access.tenants.values(), ...access.sites.values()]);
}

/** Every role of the access capped at `cap` (an API token's scope). */
export function capAccess(access: Access, cap: Role): Access {
  const capMap = <K>(m: ReadonlyMap<K, Role>) => new Map([...m].map(([k, r]) => [k, lowerRole(r, cap)] as const));
  return {
    ...(access.everywhere ? { everywhere: lowerRole(access.everywhere, cap) } : {}),
    platform: access.platform && cap === "admin",
    tenants: capMap(access.tenants),
    sites: capMap(access.sites),
  };
}
