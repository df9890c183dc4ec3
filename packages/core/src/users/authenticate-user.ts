import { users } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { UnauthorizedError } from "../errors.ts";
import { verifyPassword } from "./password.ts";
import { findUserByEmail, type UserRow } from "./user.repository.ts";

const EMAIL_SHAPE = /^[^@\s]{1,64}@[^@\s]{1,100}\.[A-Za-z]{2,24}$/;

/** Checks email and password; audits success and failure alike (never the password). */
export async function authenticateUser(ctx: Context, email: string, password: string): Promise<UserRow> {
  const user = await findUserByEmail(ctx.db, email.trim());
  const ok = await verifyPassword(password, user?.hashedPassword);
  if (!user || !ok || !user.isActive) {
    // People type their password into the e-mail field: only an address-shaped value is recorded.
    const shown = user
      ? user.email
      : EMAIL_SHAPE.test(email.trim())
        ? email.trim().slice(0, 100)
        : "(not an e-mail address)";
    await recordAudit(ctx, {
      eventType: "login_failed",
      description: `Failed login for ${shown}`,
      userId: user?.id ?? null,
      metadata: { email: shown, reason: !user ? "unknown_user" : !ok ? "bad_password" : "inactive" },
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
