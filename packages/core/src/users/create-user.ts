import { randomBytes } from "node:crypto";
import { type Db, tenantMemberships, users } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context, Role } from "../context.ts";
import { ConflictError, ValidationError } from "../errors.ts";
import { DEFAULT_TENANT_ID } from "../tenants/tenant.repository.ts";
import { hashPassword, validatePassword } from "./password.ts";
import { findUserByEmail, findUserByUsername, type UserRow } from "./user.repository.ts";

export interface CreateUserInput {
  email: string;
  /** Absent for a single sign-on account (`oidc` given): it gets an unguessable password nobody knows. */
  password?: string;
  /** The OpenID Connect identity (issuer + subject) a just-in-time account is linked to. */
  oidc?: { issuer: string; subject: string };
  username?: string | undefined;
  fullName?: string | undefined;
  role?: Role;
  /** The tenant a user who is not an admin joins with their role (default: the default tenant; null: none). */
  tenantId?: number | null | undefined;
}

/** Steps a caller (sign-up) runs inside the creating transaction: decide the role first, consume an invitation after. */
export interface CreateUserHooks {
  beforeInsert?(tx: Db): Promise<{ role: Role; reason: string } | undefined>;
  afterInsert?(tx: Db, user: UserRow): Promise<void>;
}

/** Creates a user with a bcrypt-hashed password (or an SSO identity); 409 when the email or username is taken. */
export async function createUser(ctx: Context, input: CreateUserInput, hooks: CreateUserHooks = {}): Promise<UserRow> {
  const email = input.email.trim().toLowerCase();
  const username = (input.username?.trim() || email.split("@")[0] || email).slice(0, 50);
  if (input.password === undefined && !input.oidc) throw new ValidationError("a password is required", "password");
  if (input.password !== undefined) validatePassword(input.password, { email, username });
  if (await findUserByEmail(ctx.db, email)) throw new ConflictError("a user with this email already exists");
  if (await findUserByUsername(ctx.db, username)) throw new ConflictError("this username is taken");
  const hashedPassword = await hashPassword(input.password ?? randomBytes(32).toString("base64url"));
  const now = ctx.clock.now();
  const created = await ctx.db.transaction(async (tx) => {
    const decided = await hooks.beforeInsert?.(tx);
    const role = decided?.role ?? input.role ?? "viewer";
    const [row] = await tx
      .insert(users)
      .values({
        email,
        username,
        fullName: input.fullName ?? null,
        hashedPassword,
        role,
        // An admin created without a tenant is a platform admin; with one, that tenant's admin.
        isAdmin: role === "admin" && input.tenantId === undefined,
        oidcIssuer: input.oidc?.issuer ?? null,
        oidcSubject: input.oidc?.subject ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError("a user with this email or username already exists");
    // An admin is a platform admin (every tenant); everyone else reaches what their memberships give.
    if ((role !== "admin" || input.tenantId !== undefined) && input.tenantId !== null)
      await tx
        .insert(tenantMemberships)
        .values({ userId: row.id, tenantId: input.tenantId ?? DEFAULT_TENANT_ID, role, createdAt: now });
    await recordAudit(
      ctx,
      {
        eventType: "user_created",
        description: `User ${username} created with role ${role}${decided ? ` (${decided.reason})` : ""}`,
        userId: ctx.actor.kind === "user" ? ctx.actor.userId : row.id,
        newValues: { id: row.id, email, username, role },
      },
      tx,
    );
    await hooks.afterInsert?.(tx, row);
    return row;
  });
  return created;
}
