import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { findUserById, type UserRow } from "./user.repository.ts";

export async function getUser(ctx: Context, id: number): Promise<UserRow> {
  const user = await findUserById(ctx.db, id);
  if (!user) throw new NotFoundError(`user ${id} not found`);
  return user;
}
