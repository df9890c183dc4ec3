import type { Db } from "@homepot/db";
import { sql } from "drizzle-orm";
import { queryRows } from "./page.ts";

/**
 * The time-series tables range-partitioned by "timestamp", one partition per UTC day (`<table>_pYYYYMMDD`) and a
 * default partition (`<table>_default`) that catches rows of days without one (migration 0018).
 */
export const PARTITIONED_TABLES = [
  "device_metrics",
  "health_checks",
  "api_request_logs",
  "user_activities",
  "device_state_history",
  "error_logs",
] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

export const DAY_MS = 86_400_000;

export interface DayPartition {
  name: string;
  /** Start of the partition's UTC day; it holds rows from `day` to `day` + 1 day. */
  day: Date;
}

export const isPartitioned = (table: string): table is PartitionedTable =>
  (PARTITIONED_TABLES as readonly string[]).includes(table);

export const startOfDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
const ymd = (day: Date) => day.toISOString().slice(0, 10);

/** The table's day partitions, oldest first. */
export async function listDayPartitions(db: Db, table: PartitionedTable): Promise<DayPartition[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = to_regclass(${table}) and c.relname ~ '_p[0-9]{8}$' order by c.relname`,
  );
  return rows.map((r) => {
    const d = r.name.slice(-8);
    return { name: r.name, day: new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T00:00:00Z`) };
  });
}

/** Creates the partition of `day` unless it exists, moving that day's rows out of the default partition. */
export async function ensureDayPartition(db: Db, table: PartitionedTable, day: Date): Promise<boolean> {
  const rows = await queryRows<{ created: boolean }>(
    db,
    sql`select homepot_ensure_day_partition(${table}, ${ymd(day)}::date) as created`,
  );
  return rows[0]?.created === true;
}

/** The UTC days from `from` on that have rows waiting in the default partition. */
export async function daysInDefaultPartition(db: Db, table: PartitionedTable, from: Date): Promise<Date[]> {
  const rows = await queryRows<{ d: string }>(
    db,
    sql`select distinct to_char("timestamp", 'YYYY-MM-DD') as d from ${sql.identifier(`${table}_default`)}
        where "timestamp" >= ${from.toISOString()}::timestamp`,
  );
  return rows.map((r) => new Date(`${r.d}T00:00:00Z`));
}

/** How many rows a partition holds and its highest id (0 when empty). */
export async function partitionContents(db: Db, name: string): Promise<{ rows: number; maxId: number }> {
  const [row] = await queryRows<{ n: string | number; m: string | number | null }>(
    db,
    sql`select count(*) as n, max(id) as m from ${sql.identifier(name)}`,
  );
  return { rows: Number(row?.n ?? 0), maxId: Number(row?.m ?? 0) };
}

/** Drops one day partition: its rows go at once, without a DELETE touching each of them. */
export async function dropPartition(db: Db, name: string): Promise<void> {
  await db.execute(sql`drop table if exists ${sql.identifier(name)}`);
}
