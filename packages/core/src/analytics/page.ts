import { encodeCursor, type PageQuery, type TimeCursorValue } from "@homepot/contracts/analytics";
import { type Db, devices } from "@homepot/db";
import { and, asc, type Column, desc, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { type Context, readDb } from "../context.ts";
import { inScope, type RowScope } from "../tenants/authorize.ts";

export interface Page<T> {
  items: T[];
  total?: number;
  next_cursor: string | null;
}

/** The paging part of every list query; `C` is the decoded keyset cursor. */
export interface ListQuery<C> extends Omit<PageQuery, "cursor"> {
  cursor?: C | undefined;
}

/**
 * A keyset order: the ORDER BY, the condition "strictly after this cursor", and the cursor of a row. Deep pages
 * then cost what the first one costs (offset is kept for small jumps).
 */
export interface Keyset<C> {
  orderBy: SQL[];
  after(cursor: C): SQL;
  /** Extra values selected beside the row to build the next cursor from (e.g. the exact time as text). */
  select: Record<string, SQL.Aliased>;
  cursorOf(row: Record<string, unknown>, extra: Record<string, unknown>): C;
}

/** Newest first by (time, id) (every listed table has an `id` key), the cursor carrying the time as PostgreSQL prints it (microseconds). */
export function newestFirst(time: Column, id: Column): Keyset<TimeCursorValue> {
  return {
    orderBy: [desc(time), desc(id)],
    // A range on time plus a tie-break, so any index that starts with (…, time) serves it.
    after: ([ts, lastId]) => sql`${time} <= ${ts}::timestamp and (${time} < ${ts}::timestamp or ${id} < ${lastId})`,
    select: { cursorTs: sql<string>`${time}::text`.as("cursor_ts") },
    cursorOf: (row, extra) => [String(extra.cursorTs), Number(row.id)],
  };
}

/** How a log table with a `timestamp` and an `id` is listed: newest first, the start/end window on its time. */
export function byTime<TTable extends PgTable & { timestamp: Column; id: Column }, Out>(
  table: TTable,
  scope: RowScope,
  present: (row: TTable["$inferSelect"]) => Out,
): ListSpec<TTable, TimeCursorValue, Out> {
  return { table, scope, keyset: newestFirst(table.timestamp, table.id), window: table.timestamp, present };
}

/** Ascending by two keys (e.g. site, day of week), the cursor being the last row's pair. */
export function ascendingBy<A extends string | number, B extends string | number>(
  first: Column,
  second: Column,
  values: (row: Record<string, unknown>) => [A, B],
): Keyset<[A, B]> {
  return {
    orderBy: [asc(first), asc(second)],
    after: ([a, b]) => sql`(${first} > ${a} or (${first} = ${a} and ${second} > ${b}))`,
    select: {},
    cursorOf: (row) => values(row),
  };
}

/** How one table is listed: its keyset order, the column the start/end window applies to, and the presenter. */
export interface ListSpec<
  TTable extends PgTable,
  C,
  Out,
  Extra extends Record<string, unknown> = Record<string, never>,
> {
  table: TTable;
  /** How its rows belong to sites: a caller sees only the rows of the sites they may see (a required choice). */
  scope: RowScope;
  keyset: Keyset<C>;
  window: Column;
  /** Extra per-row values (scalar subqueries) the presenter needs beside the row. */
  extra?: { [K in keyof Extra]: SQL.Aliased<Extra[K]> };
  present(row: TTable["$inferSelect"], extra: Extra): Out;
}

/**
 * The one list skeleton of the analytics API: filters and the start/end window, the keyset cursor or offset,
 * the order, the page, and the total when asked for.
 */
export async function listRows<TTable extends PgTable, C, Out, Extra extends Record<string, unknown>>(
  ctx: Context,
  spec: ListSpec<TTable, C, Out, Extra>,
  q: ListQuery<C>,
  filters: SQL[],
): Promise<Page<Out>> {
  const where = [...filters, ...windowConditions(spec.window, q)];
  const scoped = inScope(ctx, spec.scope);
  if (scoped) where.push(scoped);
  if (q.cursor) where.push(spec.keyset.after(q.cursor));
  const rows = (await readDb(ctx)
    .select({ row: spec.table, ...spec.keyset.select, ...(spec.extra ?? {}) } as Record<string, unknown> as {
      row: TTable;
    })
    .from(spec.table as PgTable)
    .where(and(...where))
    .orderBy(...spec.keyset.orderBy)
    .limit(q.limit)
    .offset(q.offset)) as unknown as ({ row: TTable["$inferSelect"] } & Record<string, unknown>)[];
  const last = rows.at(-1);
  const page: Page<Out> = {
    items: rows.map((r) => spec.present(r.row, r as unknown as Extra)),
    next_cursor:
      last && rows.length === q.limit
        ? encodeCursor(spec.keyset.cursorOf(last.row, last) as (string | number)[])
        : null,
  };
  if (q.include_total) page.total = await countWhere(readDb(ctx), spec.table, where);
  return page;
}

function windowConditions(time: Column, q: { start_date?: Date | undefined; end_date?: Date | undefined }): SQL[] {
  const out: SQL[] = [];
  if (q.start_date) out.push(sql`${time} >= ${utcParam(q.start_date)}`);
  if (q.end_date) out.push(sql`${time} <= ${utcParam(q.end_date)}`);
  return out;
}

/** A Date as a `timestamp` (UTC wall time) parameter, independent of the process time zone. */
export const utcParam = (d: Date) => sql`${d.toISOString()}::timestamp`;

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

type Camel<S extends string> = S extends `${infer A}_${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
/** The query fields whose camelCase name is a column of the table (`status_code` → `statusCode`). */
type FieldOf<T extends PgTable, Q> = {
  [K in keyof Q & string]: Camel<K> extends keyof T["_"]["columns"] ? K : never;
}[keyof Q & string];

/** `column = value` for each named query field that is set, the column being the field's camelCase name. */
export function matching<T extends PgTable, Q extends object>(table: T, q: Q, fields: readonly FieldOf<T, Q>[]): SQL[] {
  const columns = table as unknown as Record<string, Column>;
  const values = q as Record<string, unknown>;
  return equalities(
    fields.map((f) => [columns[f.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())] as Column, values[f]]),
  );
}

/** `sql` when the flag is set. */
export const when = (flag: unknown, condition: () => SQL): SQL[] => (flag ? [condition()] : []);

/** `key` (a reference to `id`) is the row whose external id (`externalId`) is `value`, when one is given. */
export const keyIs = (key: Column, id: Column, externalId: Column, value: string | undefined): SQL[] =>
  when(value, () => sql`${key} = (select ${id} from ${id.table} where ${externalId} = ${value})`);

/** `key` (a devices.id reference) is the device with this external id, when one is given. */
export const deviceKeyIs = (key: Column, deviceId: string | undefined): SQL[] =>
  keyIs(key, devices.id, devices.deviceId, deviceId);

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

/** What a rollup summary is asked: its time window on bucket_start, the order of buckets and how many rows. */
export interface RollupWindow {
  start_date?: Date | undefined;
  end_date?: Date | undefined;
  order: "asc" | "desc";
  limit: number;
}

/** A rollup table's rows matching `where` in the window, by bucket start (then `tieBreak`, ascending), from the read pool. */
export function readRollups<T extends PgTable & { bucketStart: Column }>(
  ctx: Context,
  table: T,
  where: SQL[],
  q: RollupWindow,
  tieBreak: Column[],
): Promise<T["$inferSelect"][]> {
  const order = q.order === "asc" ? asc : desc;
  return readDb(ctx)
    .select()
    .from(table as PgTable)
    .where(and(...where, ...windowConditions(table.bucketStart, q)))
    .orderBy(order(table.bucketStart), ...tieBreak.map((c) => asc(c)))
    .limit(q.limit) as Promise<T["$inferSelect"][]>;
}
