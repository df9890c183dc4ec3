import { tenantMemberships, users } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { OidcConfig } from "../config-oidc.ts";
import { type Context, type Role, roleAtLeast } from "../context.ts";
import { ConflictError, ForbiddenError } from "../errors.ts";
import { findTenantBySlug, setTenantRole } from "../tenants/tenant.repository.ts";
import { createUser } from "./create-user.ts";
import { updateUser } from "./update-user.ts";
import { findUserByEmail, findUserByUsername, type UserRow } from "./user.repository.ts";

/** What the provider said about the person, from its verified ID token (and userinfo). */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
  preferredUsername: string | undefined;
  /** The role claim's value(s), e.g. the `groups` list. */
  roleClaim: unknown;
}

export type OidcPolicy = Pick<OidcConfig, "allowedDomains" | "roleMapping" | "name"> & {
  tenant?: OidcConfig["tenant"];
};

/** The highest role any of the claim's values maps to; viewer when none does. */
export function mapOidcRole(claim: unknown, map: Record<string, Role>): Role {
  const values = (Array.isArray(claim) ? claim : [claim]).filter((v): v is string => typeof v === "string");
  let role: Role = "viewer";
  for (const value of values) {
    const mapped = Object.hasOwn(map, value) ? map[value] : undefined;
    if (mapped && roleAtLeast(mapped, role)) role = mapped;
  }
  return role;
}

async function refuse(ctx: Context, identity: OidcIdentity, reason: string, message: string, user?: UserRow) {
  await recordAudit(ctx, {
    eventType: "oidc_login_refused",
    description: `Single sign-on refused for ${identity.email ?? identity.subject}: ${reason}`,
    userId: user?.id ?? null,
    metadata: { issuer: identity.issuer, subject: identity.subject, email: identity.email ?? null, reason },
  });
  return new ForbiddenError(message);
}

/** A free username from the provider's preferred name or the address (`ana`, then `ana_2`, `ana_3`…). */
async function freeUsername(ctx: Context, identity: OidcIdentity, email: string): Promise<string> {
  const base = (identity.preferredUsername?.split("@")[0] || email.split("@")[0] || "user")
    .replace(/[^\w.-]/g, "_")
    .slice(0, 40);
  for (let n = 1; n < 50; n++) {
    const candidate = n === 1 ? base : `${base}_${n}`;
    if (!(await findUserByUsername(ctx.db, candidate))) return candidate;
  }
  return `${base}_${identity.subject.replace(/\W/g, "").slice(0, 8)}`;
}

/**
 * A single sign-on by a verified identity: the account linked to the provider's (issuer, subject), else the
 * account with the same verified e-mail address (then linked), else a new one (just in time, through createUser).
 * Refused (403, audited) when the address is not verified or not of an allowed domain, or the account is disabled.
 * With a role mapping, the mapped role is applied on every sign-in, a demotion included (audited by updateUser).
 */
export async function signInWithOidc(ctx: Context, identity: OidcIdentity, policy: OidcPolicy): Promise<UserRow> {
  const email = identity.email?.trim().toLowerCase();
  if (!email || !identity.emailVerified)
    throw await refuse(
      ctx,
      identity,
      "email_not_verified",
      `${policy.name} did not confirm that your e-mail address is verified; verify it there and try again`,
    );
  const domain = email.slice(email.lastIndexOf("@") + 1);
  if (policy.allowedDomains.length > 0 && !policy.allowedDomains.includes(domain))
    throw await refuse(
      ctx,
      identity,
      "domain_not_allowed",
      `Accounts of ${domain} may not sign in here (allowed: ${policy.allowedDomains.join(", ")})`,
    );
  const mapped = policy.roleMapping ? mapOidcRole(identity.roleClaim, policy.roleMapping.map) : undefined;
  // With HOMEPOT_OIDC_TENANT, people join that tenant and their mapped role applies there (an admin is its admin).
  const tenant = policy.tenant ? await findTenantBySlug(ctx.db, policy.tenant) : undefined;
  if (policy.tenant && !tenant)
    throw new ConflictError(`HOMEPOT_OIDC_TENANT: no active tenant has the slug ${policy.tenant}; ask an admin`);

  let [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.oidcIssuer, identity.issuer), eq(users.oidcSubject, identity.subject)))
    .limit(1);
  if (!user) {
    const byEmail = await findUserByEmail(ctx.db, email);
    if (byEmail?.oidcSubject && byEmail.oidcIssuer === identity.issuer)
      throw await refuse(
        ctx,
        identity,
        "email_linked_to_other_subject",
        "This e-mail address belongs to an account linked to another identity of this provider; ask an admin",
        byEmail,
      );
    if (byEmail) {
      if (!byEmail.isActive) throw await refuse(ctx, identity, "inactive", "This account is disabled", byEmail);
      [user] = await ctx.db
        .update(users)
        .set({ oidcIssuer: identity.issuer, oidcSubject: identity.subject, updatedAt: ctx.clock.now() })
        .where(eq(users.id, byEmail.id))
        .returning();
      await recordAudit(ctx, {
        eventType: "oidc_user_linked",
        description: `User ${byEmail.username} linked to ${policy.name} (${identity.issuer})`,
        userId: byEmail.id,
        newValues: { oidc_issuer: identity.issuer, oidc_subject: identity.subject },
      });
    } else {
      user = await createUser(ctx, {
        email,
        username: await freeUsername(ctx, identity, email),
        fullName: identity.name?.slice(0, 100),
        role: mapped ?? "viewer",
        tenantId: tenant?.id,
        oidc: { issuer: identity.issuer, subject: identity.subject },
      });
      await recordAudit(ctx, {
        eventType: "oidc_user_created",
        description: `User ${user.username} created by single sign-on with ${policy.name}, role ${user.role}`,
        userId: user.id,
        newValues: { id: user.id, email, role: user.role, oidc_issuer: identity.issuer },
      });
    }
  }
  if (!user) throw new ConflictError("the account changed while signing in; try again");
  if (!user.isActive) throw await refuse(ctx, identity, "inactive", "This account is disabled", user);
  if (mapped && tenant) await applyTenantRole(ctx, user, tenant, mapped);
  else if (mapped && mapped !== user.role) {
    const { ip, userAgent } = ctx.actor;
    const system: Context = { ...ctx, actor: { kind: "system", name: "oidc", ip, userAgent } };
    user = await updateUser(system, user.id, { role: mapped });
  }
  const now = ctx.clock.now();
  await ctx.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
  await recordAudit(ctx, {
    eventType: "oidc_login",
    description: `User ${user.username} signed in with ${policy.name}`,
    userId: user.id,
    metadata: { issuer: identity.issuer, role: user.role },
  });
  return { ...user, lastLoginAt: now };
}

/** The mapped role in the sign-on tenant, audited when it changes (a platform admin stays one). */
async function applyTenantRole(ctx: Context, user: UserRow, tenant: { id: number; slug: string }, role: Role) {
  const [current] = await ctx.db
    .select({ role: tenantMemberships.role })
    .from(tenantMemberships)
    .where(and(eq(tenantMemberships.userId, user.id), eq(tenantMemberships.tenantId, tenant.id)));
  if (current?.role === role) return;
  await setTenantRole(ctx.db, user.id, tenant.id, role, ctx.clock.now());
  await recordAudit(ctx, {
    eventType: "membership_updated",
    description: `User ${user.username} is now ${role} in tenant ${tenant.slug} (single sign-on role mapping)`,
    userId: user.id,
    oldValues: { role: current?.role ?? null },
    newValues: { role, tenant_id: tenant.id },
  });
}
