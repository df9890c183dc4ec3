import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client.ts";
import { executePrepared } from "./prepared.ts";
import { rowsOf } from "./rows.ts";
import { createTestDatabase, type TestDatabase, testDriver } from "./testing.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`create table prepared_probe (k text, v int)`);
});
afterAll(async () => database.close());

const probe = async () =>
  rowsOf<{ k: string; v: number }>(await database.db.execute(sql`select k, v from prepared_probe order by k, v`));

describe("executePrepared", () => {
  it("runs the same text with new parameters each time, two texts under one name apart, and inside a transaction", async () => {
    // More calls than the pool has connections, so every connection prepares it and then reuses it.
    for (let i = 0; i < 25; i++)
      await executePrepared(database.db, "probe", sql`insert into prepared_probe (k, v) values (${"a"}, ${i})`);
    await executePrepared(database.db, "probe", sql`insert into prepared_probe (k, v) select ${"b"}, ${7} + 1`);
    await database.db.transaction(async (tx) => {
      await executePrepared(tx, "probe", sql`insert into prepared_probe (k, v) values (${"c"}, ${1})`);
    });
    const rows = await probe();
    expect(rows.filter((r) => r.k === "a").map((r) => r.v)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(rows.filter((r) => r.k !== "a")).toEqual([
      { k: "b", v: 8 },
      { k: "c", v: 1 },
    ]);
  });

  it("prepares it once per connection under a name with the text's hash on PostgreSQL; PGlite runs it plain", async () => {
    // One connection on PostgreSQL, so the three calls share it; PGlite has only one.
    const one = testDriver === "postgres" ? await openDatabase({ databaseUrl: database.url, poolSize: 1 }) : undefined;
    const db = one?.db ?? database.db;
    try {
      for (let i = 0; i < 3; i++)
        await executePrepared(db, "probe_one", sql`insert into prepared_probe (k, v) values (${"e"}, ${i})`);
      const prepared = rowsOf<{ name: string; statement: string }>(
        await db.execute(sql`select name, statement from pg_prepared_statements where name like 'probe_one_%'`),
      );
      if (testDriver === "postgres") {
        expect(prepared).toHaveLength(1);
        expect(prepared[0]?.name).toMatch(/^probe_one_[0-9a-f]{12}$/);
        expect(prepared[0]?.statement).toContain("insert into prepared_probe");
      } else expect(prepared).toEqual([]);
    } finally {
      await one?.close();
    }
    expect((await probe()).filter((r) => r.k === "e").map((r) => r.v)).toEqual([0, 1, 2]);
  });

  it("fails like a plain statement, and the next call works", async () => {
    await expect(
      executePrepared(
        database.db,
        "probe_bad",
        sql`insert into prepared_probe (k, v) values (${"d"}, ${"not a number"})`,
      ),
    ).rejects.toThrow();
    await executePrepared(database.db, "probe_bad", sql`insert into prepared_probe (k, v) values (${"d"}, ${4})`);
    expect((await probe()).filter((r) => r.k === "d")).toEqual([{ k: "d", v: 4 }]);
  });
});
