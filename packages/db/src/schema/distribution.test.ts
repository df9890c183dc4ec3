import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing.ts";

/**
 * The schema stays ready for a distributed PostgreSQL (Citus; docs/scaling.md): the per-device time series are
 * distributed by their `device_id`, so each keeps it in every unique key, and their foreign keys only point at
 * tables every node would hold a copy of (reference tables). Read off the migrated database's catalog.
 */
const DEVICE_SERIES = ["device_metrics", "device_state_history", "health_checks"];
const REFERENCE_TABLES = ["devices"];

let database: TestDatabase;
const list = (names: string[]) =>
  sql.join(
    names.map((n) => sql`${n}`),
    sql`, `,
  );
const rows = async <T>(query: ReturnType<typeof sql>) =>
  ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

describe("per-device time series, ready to be distributed by device_id", () => {
  it("are the partitioned tables whose device_id is NOT NULL", async () => {
    const found = await rows<{ t: string }>(sql`
      select c.relname as t from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'device_id' and a.attnotnull
      where c.relkind = 'p' and c.relnamespace = current_schema()::regnamespace order by 1`);
    expect(found.map((r) => r.t)).toEqual(DEVICE_SERIES);
  });

  it("keep device_id in their primary key and every unique index, partitions included", async () => {
    const keys = await rows<{ t: string; idx: string; cols: string[]; pk: boolean }>(sql`
      select t.relname as t, x.relname as idx, i.indisprimary as pk,
        array(select a.attname::text from unnest(i.indkey) with ordinality k(n, o)
              join pg_attribute a on a.attrelid = t.oid and a.attnum = k.n order by k.o) as cols
      from pg_index i join pg_class t on t.oid = i.indrelid join pg_class x on x.oid = i.indexrelid
      where i.indisunique and t.relnamespace = current_schema()::regnamespace
        and (t.relname in (${list(DEVICE_SERIES)}) or t.oid in (
          select inhrelid from pg_inherits where inhparent::regclass::text in (${list(DEVICE_SERIES)})))`);
    const parents = keys.filter((k) => DEVICE_SERIES.includes(k.t) && k.pk).map((k) => `${k.t} (${k.cols})`);
    expect(parents.sort()).toEqual(DEVICE_SERIES.map((t) => `${t} (device_id,timestamp,id)`));
    expect(keys.filter((k) => !k.cols.includes("device_id")).map((k) => k.idx)).toEqual([]);
  });

  it("have no foreign key across devices: out of them only to reference tables, none into them", async () => {
    const fks = await rows<{ from: string; to: string }>(sql`
      select conrelid::regclass::text as "from", confrelid::regclass::text as "to" from pg_constraint
      where contype = 'f' and connamespace = current_schema()::regnamespace
        and (conrelid::regclass::text in (${list(DEVICE_SERIES)}) or confrelid::regclass::text in (${list(DEVICE_SERIES)}))`);
    const crossing = fks.filter((fk) => !(DEVICE_SERIES.includes(fk.from) && REFERENCE_TABLES.includes(fk.to)));
    expect(crossing).toEqual([]);
    expect(fks.map((fk) => `${fk.from} -> ${fk.to}`)).toContain("health_checks -> devices");
  });
});
