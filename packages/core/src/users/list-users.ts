import { users } from "@homepot/db";
import { asc } from "drizzle-orm";
import type { Context } from "../context.ts";
import type { UserRow } from "./user.repository.ts";

export async function listUsers(ctx: Context, limit = 1000): Promise<UserRow[]> {
  return ctx.db.select().from(users).orderBy(asc(users.id)).limit(limit);
}
