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
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestContext } from "../../plugins/context.ts";

/**
 * Tenants and memberships, in the original HOMEPOT's shapes (`/api/v1/tenants`). Platform admins manage tenants;
 * a tenant's admins manage its members and its sites' members. The target hook resolves `{tenant_id}` and the
 * numeric `{site_id}` of these paths before anything else, so another tenant's ids answer 404.
 */
export const tenantRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ["tenants"];
  const signedIn = app.authorize();
  const NoContent = { 204: z.null() };

  app.get(
    "/me/memberships",
    { onRequest: signedIn, schema: { tags, response: { 200: MyMembershipsResponse } } },
    async (request) => myMemberships(requestContext(request)),
  );

  app.post(
    "/",
    { onRequest: app.authorize("platform"), schema: { tags, body: CreateTenantBody, response: { 201: TenantSchema } } },
    async (request, reply) =>
      reply.code(201).send(presentTenant(await createTenant(requestContext(request), request.body))),
  );

  app.get(
    "/",
    { onRequest: signedIn, schema: { tags, querystring: TenantsQuery, response: { 200: TenantsResponse } } },
    async (request) => {
      const rows = await listTenants(requestContext(request), {
        includeInactive: request.query.include_inactive === "true",
      });
      return rows.map(presentTenant);
    },
  );

  app.get(
    "/:tenant_id",
    {
      onRequest: app.authorize("inventory"),
      schema: { tags, params: TenantIdParams, response: { 200: TenantSchema } },
    },
    async (request) => presentTenant(await getTenant(requestContext(request), request.params.tenant_id)),
  );

  app.put(
    "/:tenant_id",
    {
      onRequest: app.authorize("platform"),
      schema: { tags, params: TenantIdParams, body: UpdateTenantBody, response: { 200: TenantSchema } },
    },
    async (request) => {
      const { name, settings, is_active } = request.body;
      return presentTenant(
        await updateTenant(requestContext(request), request.params.tenant_id, { name, settings, isActive: is_active }),
      );
    },
  );

  app.delete(
    "/:tenant_id",
    { onRequest: app.authorize("platform"), schema: { tags, params: TenantIdParams, response: NoContent } },
    async (request, reply) => {
      await deleteTenant(requestContext(request), request.params.tenant_id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/:tenant_id/users",
    {
      onRequest: app.authorize("administer"),
      schema: { tags, params: TenantIdParams, response: { 200: TenantUsersResponse } },
    },
    async (request) => {
      const tenantId = request.params.tenant_id;
      const { direct, bySite } = await listTenantUsers(requestContext(request), tenantId);
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
  );

  registerMembers(
    app,
    "/:tenant_id/members",
    TenantIdParams,
    TenantMemberParams,
    TenantMembershipSchema,
    TenantMembershipsResponse,
  );
  registerMembers(
    app,
    "/:tenant_id/sites/:site_id/members",
    TenantSiteParams,
    SiteMemberParams,
    SiteMembershipSchema,
    SiteMembershipsResponse,
  );
};

type Params = { tenant_id: number; site_id?: number };
const scopeOf = (p: Params): MemberScope => ({ tenantId: p.tenant_id, siteKey: p.site_id });

/** List, add, change and remove members of a tenant or of one of its sites (the same four routes for both). */
function registerMembers(
  app: Parameters<FastifyPluginAsyncZod>[0],
  path: string,
  params: typeof TenantIdParams | typeof TenantSiteParams,
  memberParams: typeof TenantMemberParams | typeof SiteMemberParams,
  one: typeof TenantMembershipSchema | typeof SiteMembershipSchema,
  many: typeof TenantMembershipsResponse | typeof SiteMembershipsResponse,
) {
  const tags = ["tenants"];
  const admin = app.authorize("administer");
  const answer = (request: { params: Params }, m: Parameters<typeof presentMembership>[1]) =>
    presentMembership(scopeOf(request.params), m);

  app.get(path, { onRequest: admin, schema: { tags, params, response: { 200: many } } }, async (request) => {
    const rows = await listMembers(requestContext(request), scopeOf(request.params));
    return rows.map((m) => answer(request, m));
  });

  app.post(
    path,
    { onRequest: admin, schema: { tags, params, body: MembershipBody, response: { 201: one } } },
    async (request, reply) => {
      const m = await addMember(requestContext(request), scopeOf(request.params), {
        userId: request.body.user_id,
        role: request.body.role,
      });
      app.forgetUser(m.userId);
      return reply.code(201).send(answer(request, m));
    },
  );

  app.put(
    `${path}/:membership_id`,
    {
      onRequest: admin,
      schema: { tags, params: memberParams, body: MembershipRoleBody, response: { 200: one } },
    },
    async (request) => {
      const m = await changeMember(
        requestContext(request),
        scopeOf(request.params),
        request.params.membership_id,
        request.body.role,
      );
      app.forgetUser(m.userId);
      return answer(request, m);
    },
  );

  app.delete(
    `${path}/:membership_id`,
    { onRequest: admin, schema: { tags, params: memberParams, response: { 204: z.null() } } },
    async (request, reply) => {
      const m = await changeMember(
        requestContext(request),
        scopeOf(request.params),
        request.params.membership_id,
        null,
      );
      app.forgetUser(m.userId);
      return reply.code(204).send(null);
    },
  );
}
