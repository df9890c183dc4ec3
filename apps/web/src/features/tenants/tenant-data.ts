import type { MemberRoleSchema, TenantSchema, TenantUserSchema } from "@homepot/contracts/tenants";
import type { z } from "zod";
import { call } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { useEndpoint, useLoad } from "../../lib/use-api.ts";

export type Tenant = z.infer<typeof TenantSchema>;
export type MemberRole = z.infer<typeof MemberRoleSchema>;
export type TenantUser = z.infer<typeof TenantUserSchema>;
export type Person = { id: number; username: string; email: string };

/** Highest first, as the server ranks them. */
export const MEMBER_ROLES: MemberRole[] = ["admin", "operator", "installer", "viewer"];

/**
 * The users of several tenants (their direct and site members, with the role there), one request per tenant: what
 * the tenants list counts and the users page shows. Only for those who administer every one of them.
 */
export function useTenantUsers(tenantIds: number[] | undefined) {
  return useLoad(tenantIds ? `tenant-users ${tenantIds.join(",")}` : null, async (signal) => {
    const lists = await Promise.all(
      (tenantIds ?? []).map((id) => call("GET /tenants/{tenant_id}/users", { params: { tenant_id: id }, signal })),
    );
    return lists.flat();
  });
}

/**
 * The people a membership table can name: every user for a platform admin (GET /users), a tenant's own users for its
 * admins (GET /tenants/{id}/users); a site's admin alone sees user ids only.
 */
export function usePeople(tenantId: number | undefined) {
  const platform = useCan("platform");
  const all = useEndpoint("GET /users", platform ? {} : null);
  const own = useEndpoint(
    "GET /tenants/{tenant_id}/users",
    !platform && tenantId !== undefined ? { params: { tenant_id: tenantId } } : null,
  );
  const list: Person[] | undefined = platform ? all.data?.users : own.data;
  return {
    people: new Map((list ?? []).map((p) => [p.id, p])),
    /** Who may be added by choosing: everyone, for a platform admin; others type a user id. */
    choices: platform ? all.data?.users : undefined,
    reload: platform ? all.reload : own.reload,
  };
}

export const personName = (people: Map<number, Person>, userId: number) =>
  people.get(userId)?.username ?? `user #${userId}`;
