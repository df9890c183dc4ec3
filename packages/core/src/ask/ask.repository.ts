import { askQueries, type Db } from "@homepot/db";
import { and, desc, eq, isNull } from "drizzle-orm";
import { insertOne } from "../rows.ts";

export type AskQueryRow = typeof askQueries.$inferSelect;

export function insertAskQuery(db: Db, values: typeof askQueries.$inferInsert): Promise<AskQueryRow> {
  return insertOne(db, askQueries, values);
}

/** A user's questions, newest first (the system's own, e.g. the CLI's, when `userId` is null). */
export async function listAskQueries(
  db: Db,
  userId: number | null,
  limit: number,
  offset: number,
): Promise<AskQueryRow[]> {
  return db
    .select()
    .from(askQueries)
    .where(userId === null ? isNull(askQueries.userId) : and(eq(askQueries.userId, userId)))
    .orderBy(desc(askQueries.createdAt), desc(askQueries.id))
    .limit(limit)
    .offset(offset);
}
