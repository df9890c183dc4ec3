import { users } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context, Role } from "../context.ts";
import { ConflictError, ValidationError } from "../errors.ts";
import { hashPassword } from "./password.ts";
import { findUserByEmail, findUserByUsername, type UserRow } from "./user.repository.ts";

export interface CreateUserInput {
  email: string;
  password: string;
  username?: string | undefined;
  fullName?: string | undefined;
  role?: Role;
}

export function validatePassword(password: string): void {
  if (password.length < 8) throw new ValidationError("password must be at least 8 characters", "password");
  if (password.length > 128) throw new ValidationError("password must be at most 128 characters", "password");
}

/** Creates a user with a bcrypt-hashed password; 409 when the email or username is taken. */
export async function createUser(ctx: Context, input: CreateUserInput): Promise<UserRow> {
  validatePassword(input.password);
  const email = input.email.trim().toLowerCase();
  const username = (input.username?.trim() || email.split("@")[0] || email).slice(0, 50);
  if (await findUserByEmail(ctx.db, email)) throw new ConflictError("a user with this email already exists");
  if (await findUserByUsername(ctx.db, username)) throw new ConflictError("this username is taken");
  const role = input.role ?? "viewer";
  const hashedPassword = await hashPassword(input.password);
  const now = ctx.clock.now();
  const created = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        email,
        username,
        fullName: input.fullName ?? null,
        hashedPassword,
        role,
        isAdmin: role === "admin",
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError("a user with this email or username already exists");
    await recordAudit(
      ctx,
      {
        eventType: "user_created",
        description: `User ${username} created with role ${role}`,
        newValues: { id: row.id, email, username, role },
      },
      tx,
    );
    return row;
  });
  return created;
}
