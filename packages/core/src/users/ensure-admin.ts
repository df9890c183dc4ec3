import { users } from "@homepot/db";
import { eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, ValidationError } from "../errors.ts";
import { createUser } from "./create-user.ts";
import { hashPassword, validatePassword, verifyPassword } from "./password.ts";
import { findUserByEmail, type UserRow } from "./user.repository.ts";

export type EnsureAdminOutcome = "created" | "unchanged" | "promoted" | "password_reset";

/**
 * The bootstrap admin (HOMEPOT_ADMIN_EMAIL/PASSWORD). Absent: created. Present with the same password: promoted to
 * admin if it is not one. Present with another password: someone else may have signed up with that address first,
 * so it is never promoted; start-up stops, unless the operator asked to reset its password (`resetPassword`), which
 * also ends every session of that account. Every promotion and reset is audited.
 */
export async function ensureAdmin(
  ctx: Context,
  email: string,
  password: string,
  options: { resetPassword?: boolean } = {},
): Promise<{ user: UserRow; created: boolean; outcome: EnsureAdminOutcome }> {
  try {
    validatePassword(password, { email });
  } catch (error) {
    if (error instanceof ValidationError)
      throw new ValidationError(`HOMEPOT_ADMIN_PASSWORD: ${error.message}`, "password");
    throw error;
  }
  const existing = await findUserByEmail(ctx.db, email);
  if (!existing) {
    const user = await createUser(ctx, { email, password, username: "admin", role: "admin" }).catch(async (e) => {
      // "admin" may be taken by another account: fall back to the email's local part.
      if (e?.name === "ConflictError") return createUser(ctx, { email, password, role: "admin" });
      throw e;
    });
    return { user, created: true, outcome: "created" };
  }

  const matches = await verifyPassword(password, existing.hashedPassword);
  if (!matches && !options.resetPassword) {
    await recordAudit(ctx, {
      eventType: "admin_bootstrap_refused",
      description: `Bootstrap admin ${existing.email}: the existing account's password differs; not promoted`,
      userId: existing.id,
    });
    throw new ConflictError(
      `HOMEPOT_ADMIN_EMAIL ${existing.email} belongs to an existing ${existing.role} account whose password is not ` +
        "HOMEPOT_ADMIN_PASSWORD, so it is not made admin (someone may have signed up with that address). " +
        "If the account is yours, restart with HOMEPOT_RESET_ADMIN_PASSWORD=on (or --reset-admin-password) to set " +
        "its password to HOMEPOT_ADMIN_PASSWORD, make it admin and end its sessions; or choose another HOMEPOT_ADMIN_EMAIL.",
    );
  }
  if (matches && existing.role === "admin") return { user: existing, created: false, outcome: "unchanged" };

  const now = ctx.clock.now();
  const changes: Partial<typeof users.$inferInsert> = { role: "admin", isAdmin: true, updatedAt: now };
  if (!matches) changes.hashedPassword = await hashPassword(password);
  const user = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set(matches ? changes : { ...changes, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.id, existing.id))
      .returning();
    await recordAudit(
      ctx,
      {
        eventType: matches ? "user_promoted" : "admin_password_reset",
        description: matches
          ? `User ${existing.username} promoted to admin by HOMEPOT_ADMIN_EMAIL at start-up`
          : `User ${existing.username}: password reset to HOMEPOT_ADMIN_PASSWORD and made admin (HOMEPOT_RESET_ADMIN_PASSWORD); sessions ended`,
        userId: existing.id,
        oldValues: { role: existing.role },
        newValues: { role: "admin" },
      },
      tx,
    );
    return row as UserRow;
  });
  return { user, created: false, outcome: matches ? "promoted" : "password_reset" };
}
