import { users } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import { createUser } from "./create-user.ts";
import { findUserByEmail, type UserRow } from "./user.repository.ts";

/** Creates the bootstrap admin if no user has that email; an existing user is promoted, never re-passworded. */
export async function ensureAdmin(
  ctx: Context,
  email: string,
  password: string,
): Promise<{ user: UserRow; created: boolean }> {
  const existing = await findUserByEmail(ctx.db, email);
  if (existing) {
    if (existing.role !== "admin") {
      await ctx.db.update(users).set({ role: "admin", isAdmin: true }).where(eq(users.id, existing.id));
    }
    return { user: existing, created: false };
  }
  const user = await createUser(ctx, { email, password, username: "admin", role: "admin" }).catch(async (e) => {
    // "admin" may be taken by another account: fall back to the email's local part.
    if (e?.name === "ConflictError") return createUser(ctx, { email, password, role: "admin" });
    throw e;
  });
  return { user, created: true };
}
