import {
  CreateTenantBody,
  MembershipBody,
  MembershipRoleBody,
  MyMembershipsResponse,
  SiteMemberParams,
  SiteMembershipSchema,
  SiteMembershipsResponse,
  TenantIdParams,
  TenantMemberParams,
  TenantMembershipSchema,
  TenantMembershipsResponse,
  TenantSchema,
  TenantSiteParams,
  TenantsQuery,
  TenantsResponse,
  TenantUsersResponse,
  UpdateTenantBody,
} from "@homepot/contracts/tenants";
import {
  addMember,
  changeMember,
  listMembers,
  listTenantUsers,
  type MemberScope,
  myMemberships,
  presentMembership,
} from "@homepot/core/tenants/manage-members";
import { createTenant, deleteTenant, getTenant, listTenants, updateTenant } from "@homepot/core/tenants/manage-tenants";
import { presentTenant } from "@homepot/core/tenants/tenant.repository";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { featureRoutes, type Route, route } from "../route.ts";

const NoContent = z.null();

/**
 * Tenants and memberships, in the original HOMEPOT's shapes (`/api/v1/tenants`). Platform admins manage tenants;
 * a tenant's admins manage its members and its sites' members. The target hook resolves `{tenant_id}` and the
 * numeric `{site_id}` of these paths before anything else, so another tenant's ids answer 404.
 */
export const tenantRoutes = featureRoutes(["tenants"], (app) => [
  route.get("/me/memberships", { auth: "signed-in", response: MyMembershipsResponse }, async ({ ctx }) =>
    myMemberships(ctx),
  ),

  route.post(
    "/",
    { auth: "platform", body: CreateTenantBody, response: TenantSchema, status: 201 },
    async ({ ctx, body }) => presentTenant(await createTenant(ctx, body)),
  ),

  route.get("/", { auth: "signed-in", query: TenantsQuery, response: TenantsResponse }, async ({ ctx, query }) => {
    const rows = await listTenants(ctx, { includeInactive: query.include_inactive === "true" });
    return rows.map(presentTenant);
  }),

  route.get(
    "/:tenant_id",
    { auth: "inventory", params: TenantIdParams, response: TenantSchema },
    async ({ ctx, params }) => presentTenant(await getTenant(ctx, params.tenant_id)),
  ),

  route.put(
    "/:tenant_id",
    { auth: "platform", params: TenantIdParams, body: UpdateTenantBody, response: TenantSchema },
    async ({ ctx, params, body }) => {
      const { name, settings, is_active } = body;
      return presentTenant(await updateTenant(ctx, params.tenant_id, { name, settings, isActive: is_active }));
    },
  ),

  route.delete(
    "/:tenant_id",
    { auth: "platform", params: TenantIdParams, response: NoContent, status: 204 },
    async ({ ctx, params }) => {
      await deleteTenant(ctx, params.tenant_id);
      return null;
    },
  ),

  route.get(
    "/:tenant_id/users",
    { auth: "administer", params: TenantIdParams, response: TenantUsersResponse },
    async ({ ctx, params }) => {
      const tenantId = params.tenant_id;
      const { direct, bySite } = await listTenantUsers(ctx, tenantId);
      const present = (
        u: (typeof direct)[number]["user"],
        role: (typeof direct)[number]["role"],
        siteId: string | null,
      ) => ({
        id: u.id,
        username: u.username,
        email: u.email,
        full_name: u.fullName,
        is_active: u.isActive,
        tenant_id: tenantId,
        role,
        site_id: siteId,
      });
      return [
        ...direct.map((r) => present(r.user, r.role, null)),
        ...bySite.map((r) => present(r.user, r.role, r.siteId)),
      ];
    },
  ),

  ...memberRoutes(
    app,
    "/:tenant_id/members",
    TenantIdParams,
    TenantMemberParams,
    TenantMembershipSchema,
    TenantMembershipsResponse,
  ),
  ...memberRoutes(
    app,
    "/:tenant_id/sites/:site_id/members",
    TenantSiteParams,
    SiteMemberParams,
    SiteMembershipSchema,
    SiteMembershipsResponse,
  ),
]);

type Params = { tenant_id: number; site_id?: number };
const scopeOf = (p: Params): MemberScope => ({ tenantId: p.tenant_id, siteKey: p.site_id });

/** List, add, change and remove members of a tenant or of one of its sites (the same four routes for both). */
function memberRoutes(
  app: Pick<FastifyInstance, "forgetUser">,
  path: string,
  params: typeof TenantIdParams | typeof TenantSiteParams,
  memberParams: typeof TenantMemberParams | typeof SiteMemberParams,
  one: typeof TenantMembershipSchema | typeof SiteMembershipSchema,
  many: typeof TenantMembershipsResponse | typeof SiteMembershipsResponse,
): Route[] {
  const answer = (p: Params, m: Parameters<typeof presentMembership>[1]) => presentMembership(scopeOf(p), m);
  return [
    route.get(path, { auth: "administer", params, response: many }, async ({ ctx, params }) => {
      const rows = await listMembers(ctx, scopeOf(params));
      return rows.map((m) => answer(params, m));
    }),

    route.post(
      path,
      { auth: "administer", params, body: MembershipBody, response: one, status: 201 },
      async ({ ctx, params, body }) => {
        const m = await addMember(ctx, scopeOf(params), { userId: body.user_id, role: body.role });
        app.forgetUser(m.userId);
        return answer(params, m);
      },
    ),

    route.put(
      `${path}/:membership_id`,
      { auth: "administer", params: memberParams, body: MembershipRoleBody, response: one },
      async ({ ctx, params, body }) => {
        const m = await changeMember(ctx, scopeOf(params), params.membership_id, body.role);
        app.forgetUser(m.userId);
        return answer(params, m);
      },
    ),

    route.delete(
      `${path}/:membership_id`,
      { auth: "administer", params: memberParams, response: NoContent, status: 204 },
      async ({ ctx, params }) => {
        const m = await changeMember(ctx, scopeOf(params), params.membership_id, null);
        app.forgetUser(m.userId);
        return null;
      },
    ),
  ];
}
