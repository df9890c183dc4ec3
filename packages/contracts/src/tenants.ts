import { z } from "zod";
import { UserSchema } from "./auth.ts";
import { boundedJsonObject, SerialId, Timestamp, timestamps } from "./common.ts";

/** Member roles: admin > operator > installer > viewer (installer: onboards and sees devices of its sites). */
export const MemberRoleSchema = z.enum(["admin", "operator", "installer", "viewer"]);

export const TenantSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  slug: z.string(),
  settings: z.record(z.string(), z.unknown()),
  is_active: z.boolean(),
  ...timestamps,
});
export const TenantsResponse = z.array(TenantSchema);

const Settings = boundedJsonObject();
export const CreateTenantBody = z.object({
  name: z.string().trim().min(1).max(100),
  slug: z
    .string()
    .trim()
    .min(2)
    .max(50)
    .regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and - only"),
  settings: Settings.optional(),
});
export const UpdateTenantBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    settings: Settings.optional(),
    is_active: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "give name, settings and/or is_active" });
export const TenantsQuery = z.object({ include_inactive: z.enum(["true", "false"]).optional() });
export const TenantIdParams = z.object({ tenant_id: SerialId });
/** The original HOMEPOT names a site of a tenant by its numeric id (sites.id). */
export const TenantSiteParams = TenantIdParams.extend({ site_id: SerialId });
export const TenantMemberParams = TenantIdParams.extend({ membership_id: SerialId });
export const SiteMemberParams = TenantSiteParams.extend({ membership_id: SerialId });

export const MembershipBody = z.object({ user_id: z.number().int().min(1).max(2_147_483_647), role: MemberRoleSchema });
export const MembershipRoleBody = z.object({ role: MemberRoleSchema });
export const TenantMembershipSchema = z.object({
  id: z.number().int(),
  user_id: z.number().int(),
  tenant_id: z.number().int(),
  role: MemberRoleSchema,
  created_at: Timestamp,
});
export const SiteMembershipSchema = TenantMembershipSchema.extend({ site_id: z.number().int() });
export const TenantMembershipsResponse = z.array(TenantMembershipSchema);
export const SiteMembershipsResponse = z.array(SiteMembershipSchema);

export const TenantUserSchema = UserSchema.pick({
  id: true,
  username: true,
  email: true,
  full_name: true,
  is_active: true,
}).extend({
  tenant_id: z.number().int(),
  /** The user's role in the tenant, or at `site_id` when they belong to one of its sites only. */
  role: MemberRoleSchema,
  site_id: z.string().nullable(),
});
export const TenantUsersResponse = z.array(TenantUserSchema);

export const MyMembershipsResponse = z.object({
  tenant_memberships: z.array(
    TenantMembershipSchema.pick({ id: true, tenant_id: true, role: true }).extend({
      tenant_name: z.string(),
      tenant_slug: z.string(),
    }),
  ),
  site_memberships: z.array(
    SiteMembershipSchema.pick({ id: true, site_id: true, role: true }).extend({
      site_code: z.string(),
      site_name: z.string(),
      tenant_id: z.number().int(),
    }),
  ),
});
