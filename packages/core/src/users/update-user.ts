import { type Db, tenantMemberships, users } from "@homepot/db";
import { and, eq, ne, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context, Role } from "../context.ts";
import { ConflictError, ValidationError } from "../errors.ts";
import { DEFAULT_TENANT_ID } from "../tenants/tenant.repository.ts";
import { getUser } from "./get-user.ts";
import type { UserRow } from "./user.repository.ts";

export interface UpdateUserInput {
  role?: Role | undefined;
  isActive?: boolean | undefined;
}

/**
 * A role set on the user (not admin: admins are platform admins) applies in every tenant they belong to; a user who
 * belongs to none joins the default tenant with it.
 */
async function giveRoleInTenants(tx: Db, userId: number, role: Role, now: Date) {
  const updated = await tx
    .update(tenantMemberships)
    .set({ role })
    .where(eq(tenantMemberships.userId, userId))
    .returning({ id: tenantMemberships.id });
  if (updated.length === 0)
    await tx.insert(tenantMemberships).values({ userId, tenantId: DEFAULT_TENANT_ID, role, createdAt: now });
}

/**
 * An admin changes a user's role or disables/enables the account. Nobody changes their own role or disables
 * themselves, and the last active admin stays one. Disabling ends the user's sessions (token version bump).
 */
export async function updateUser(ctx: Context, id: number, input: UpdateUserInput): Promise<UserRow> {
  if (input.role === undefined && input.isActive === undefined) {
    throw new ValidationError("give role and/or is_active", "role");
  }
  const before = await getUser(ctx, id);
  if (ctx.actor.kind === "user" && ctx.actor.userId === id) {
    if (input.role !== undefined && input.role !== before.role)
      throw new ValidationError("you cannot change your own role", "role");
    if (input.isActive === false) throw new ValidationError("you cannot disable your own account", "is_active");
  }
  const losesAdmin =
    before.role === "admin" && before.isActive && ((input.role && input.role !== "admin") || input.isActive === false);
  return ctx.db.transaction(async (tx) => {
    if (losesAdmin) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('homepot:first-signup-admin'))`);
      const [other] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, "admin"), eq(users.isActive, true), ne(users.id, id)))
        .limit(1);
      if (!other) throw new ConflictError("this is the last active admin; make another user admin first");
    }
    const role = input.role ?? before.role;
    const isActive = input.isActive ?? before.isActive;
    const [row] = await tx
      .update(users)
      .set({
        role,
        // Making someone admin here makes them a platform admin; other changes keep what they were.
        isAdmin: input.role !== undefined ? input.role === "admin" : before.isAdmin,
        isActive,
        updatedAt: ctx.clock.now(),
        ...(before.isActive && !isActive ? { tokenVersion: sql`${users.tokenVersion} + 1` } : {}),
      })
      .where(eq(users.id, id))
      .returning();
    if (role !== before.role && role !== "admin") await giveRoleInTenants(tx, id, role, ctx.clock.now());
    await recordAudit(
      ctx,
      {
        eventType: "user_updated",
        description: `User ${before.username}: ${
          [
            role !== before.role ? `role ${before.role} → ${role}` : "",
            isActive !== before.isActive ? (isActive ? "enabled" : "disabled") : "",
          ]
            .filter(Boolean)
            .join(", ") || "no change"
        }`,
        oldValues: { role: before.role, is_active: before.isActive },
        newValues: { role, is_active: isActive },
        metadata: { target_user_id: id },
      },
      tx,
    );
    return row as UserRow;
  });
}
