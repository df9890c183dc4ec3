import { users } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { UnauthorizedError } from "../errors.ts";
import { verifyPassword } from "./password.ts";
import { findUserByEmail, type UserRow } from "./user.repository.ts";

/** Checks email and password; audits success and failure alike (never the password). */
export async function authenticateUser(ctx: Context, email: string, password: string): Promise<UserRow> {
  const user = await findUserByEmail(ctx.db, email.trim());
  const ok = await verifyPassword(password, user?.hashedPassword);
  if (!user || !ok || !user.isActive) {
    await recordAudit(ctx, {
      eventType: "login_failed",
      description: `Failed login for ${email.slice(0, 100)}`,
      userId: user?.id ?? null,
      metadata: { email: email.slice(0, 100), reason: !user ? "unknown_user" : !ok ? "bad_password" : "inactive" },
    });
    throw new UnauthorizedError("Invalid email or password");
  }
  const now = ctx.clock.now();
  await ctx.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
  await recordAudit(ctx, {
    eventType: "login_success",
    description: `User ${user.username} logged in`,
    userId: user.id,
  });
  return { ...user, lastLoginAt: now };
}
