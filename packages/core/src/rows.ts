import type { Db } from "@homepot/db";
import { and, type Column, count, desc, getTableName, inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgInsertValue, PgTable, PgUpdateSetSource } from "drizzle-orm/pg-core";

// The one-row and one-page queries every repository would otherwise spell out, typed by the table (a transaction
// is a Db too). Drizzle cannot follow a generic table through select/returning, hence the casts to its row type.

type RowOf<T extends PgTable> = T["$inferSelect"];

/** Inserts one row and returns it as stored (defaults and keys filled in). */
export async function insertOne<T extends PgTable>(db: Db, table: T, values: PgInsertValue<T>): Promise<RowOf<T>> {
  const [row] = (await db.insert(table).values(values).returning()) as RowOf<T>[];
  if (!row) throw new Error(`insert into ${getTableName(table)} returned no row`);
  return row;
}

/** Updates the rows matching `where` and returns the first as stored; undefined when none matched. */
export async function updateOne<T extends PgTable>(
  db: Db,
  table: T,
  set: PgUpdateSetSource<T>,
  where: SQL | undefined,
): Promise<RowOf<T> | undefined> {
  const [row] = (await db.update(table).set(set).where(where).returning()) as RowOf<T>[];
  return row;
}

/** The first row matching `where`, or undefined. */
export async function findOne<T extends PgTable>(
  db: Db,
  table: T,
  where: SQL | undefined,
): Promise<RowOf<T> | undefined> {
  const [row] = (await db
    .select()
    .from(table as PgTable)
    .where(where)
    .limit(1)) as RowOf<T>[];
  return row;
}

/** Whether any row matches `where` (reads one at most). */
export async function anyRow(db: Db, table: PgTable, where: SQL | undefined): Promise<boolean> {
  const rows = await db.select({ one: sql`1` }).from(table).where(where).limit(1);
  return rows.length > 0;
}

/**
 * Hands out up to `limit` rows matching `claimable` once, first in `orderBy` order: the candidates are locked
 * (SKIP LOCKED, so concurrent claimers take different rows) and updated with `set` while still `unclaimed`.
 */
export async function claimRows<T extends PgTable & { id: PgColumn }>(
  db: Db,
  table: T,
  claim: { claimable: SQL | undefined; orderBy: SQL[]; limit: number; set: PgUpdateSetSource<T>; unclaimed: SQL },
): Promise<RowOf<T>[]> {
  const candidates = db
    .select({ id: table.id })
    .from(table as PgTable)
    .where(claim.claimable)
    .orderBy(...claim.orderBy)
    .limit(claim.limit)
    .for("update", { skipLocked: true });
  return (await db
    .update(table)
    .set(claim.set)
    .where(and(inArray(table.id, candidates), claim.unclaimed))
    .returning()) as RowOf<T>[];
}

/**
 * The username behind a user id column (ids are stored as text in some tables, integers in others), so lists
 * show people by name. `column` is a raw "table.column" reference: drizzle strips the table from columns in the
 * select list of a one-table query, which would make the subquery's own `users.id` ambiguous.
 */
export const usernameOf = (column: string) =>
  sql<string | null>`(select u.username from users u where u.id::text = ${sql.raw(column)}::text)`.as("username");

/** The values of extra selected expressions (scalar subqueries) by name. */
type ValuesOf<X> = { [K in keyof X]: X[K] extends SQL<infer V> | SQL.Aliased<infer V> ? V : never };

/**
 * One page of a table's rows, newest first by (`time`, id), each with the `extra` values selected beside it, and
 * how many rows match in all.
 */
export async function pageNewestFirst<
  T extends PgTable & { id: Column },
  X extends Record<string, SQL | SQL.Aliased> = Record<never, never>,
>(
  db: Db,
  table: T,
  time: Column,
  where: SQL | undefined,
  page: { limit: number; offset: number },
  extra?: X,
): Promise<{ rows: (RowOf<T> & ValuesOf<X>)[]; total: number }> {
  const rows = await db
    .select({ row: table as PgTable, ...extra })
    .from(table as PgTable)
    .where(where)
    .orderBy(desc(time), desc(table.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await db
    .select({ n: count() })
    .from(table as PgTable)
    .where(where);
  return {
    rows: rows.map(({ row, ...values }) => ({ ...row, ...values }) as RowOf<T> & ValuesOf<X>),
    total: Number(total?.n ?? 0),
  };
}
