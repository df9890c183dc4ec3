import { encodeCursor, type PageQuery } from "@homepot/contracts/analytics";
import { type Db, devices } from "@homepot/db";
import { and, type Column, desc, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * Shared paging of the time-series lists: newest first by (time, id), a time window, and an opaque
 * keyset cursor so deep pages cost what the first one costs (offset is kept for small jumps).
 */
export function pageConditions(time: Column, id: Column, q: PageQuery): SQL[] {
  const out: SQL[] = [];
  if (q.start_date) out.push(sql`${time} >= ${utcParam(q.start_date)}`);
  if (q.end_date) out.push(sql`${time} <= ${utcParam(q.end_date)}`);
  if (q.cursor) {
    const [ts, lastId] = q.cursor;
    // Written as a range on time plus a tie-break so any index that starts with (…, time) serves it.
    out.push(sql`${time} <= ${ts}::timestamp and (${time} < ${ts}::timestamp or ${id} < ${lastId})`);
  }
  return out;
}

/** A Date as a `timestamp` (UTC wall time) parameter, independent of the process time zone. */
export const utcParam = (d: Date) => sql`${d.toISOString()}::timestamp`;

export const pageOrder = (time: Column, id: Column) => [desc(time), desc(id)];

/** The exact time as PostgreSQL holds it (microseconds), which a JS Date would truncate. */
export const cursorTime = (time: Column) => sql<string>`${time}::text`.as("cursor_ts");

export interface Page<T> {
  items: T[];
  total?: number;
  next_cursor: string | null;
}

/** Rows selected as `{ row, cursorTs }` (see cursorTime). */
export async function finishPage<R extends { id: number }, T>(
  rows: { row: R; cursorTs: string }[],
  q: PageQuery,
  present: (row: R) => T,
  count?: () => Promise<number>,
): Promise<Page<T>> {
  const last = rows.at(-1);
  const page: Page<T> = {
    items: rows.map((r) => present(r.row)),
    next_cursor: last && rows.length === q.limit ? encodeCursor([last.cursorTs, last.row.id]) : null,
  };
  if (q.include_total && count) page.total = await count();
  return page;
}

export async function countWhere(db: Db, table: PgTable, where: SQL[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .where(and(...where));
  return row?.n ?? 0;
}

/** `col = value` for each filter that was given. */
export function equalities(pairs: [Column, unknown][]): SQL[] {
  return pairs.filter(([, v]) => v !== undefined && v !== null).map(([c, v]) => sql`${c} = ${v}`);
}

/** Raw SQL rows; both drivers (node-postgres and PGlite) answer `{ rows }`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** `device_id` (the string id) belongs to a device of this site. */
export function siteFilter(deviceIdColumn: Column, siteId: string | undefined): SQL[] {
  if (!siteId) return [];
  return [sql`${deviceIdColumn} in (select ${devices.deviceId} from ${devices} where ${devices.siteId} = ${siteId})`];
}
