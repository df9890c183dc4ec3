import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anyOf, inList } from "./in-list.ts";
import { rowsOf } from "./rows.ts";
import { createTestDatabase, type TestDatabase } from "./testing.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

describe("inList", () => {
  it("matches a list longer than a statement's 65 535 parameters, and a short one, the same way", async () => {
    const ids = Array.from({ length: 70_000 }, (_, i) => `dev-${i}`);
    const count = async (values: string[]) =>
      Number(
        rowsOf<{ n: number }>(
          await database.db.execute(
            sql`select count(*)::int as n from (select 'dev-' || g as id from generate_series(0, 99999) g) x where ${inList(sql`x.id`, values)}`,
          ),
        )[0]?.n,
      );
    expect(await count(ids)).toBe(70_000);
    expect(await count(["dev-1", "dev-99999", "nope"])).toBe(2);
    expect(await count([])).toBe(0);
  });
});

describe("anyOf", () => {
  const values = (list: string[]) =>
    sql.join(
      list.map((v) => sql`(${v})`),
      sql`, `,
    );
  const matches = async (candidates: string[], type: "text" | "int", list: (string | number)[]) =>
    rowsOf<{ v: string }>(
      await database.db.execute(
        type === "int"
          ? sql`select v from (values ${values(candidates)}) c(v) where v::int = ${anyOf("int", list as number[])} order by v`
          : sql`select v from (values ${values(candidates)}) c(v) where v = ${anyOf("text", list as string[])} order by v`,
      ),
    ).map((r) => r.v);

  it("matches text values of any length as one parameter, quotes, backslashes, commas and braces included", async () => {
    const odd = ['a"b', "c\\d", "e,f", "{g}", "h i", "", "NULL"];
    const many = Array.from({ length: 70_000 }, (_, i) => `dev-${i}`);
    const found = await matches([...odd, "dev-5", "dev-69999", "dev-70000", "null"], "text", [...odd, ...many]);
    expect(found).toEqual([...odd, "dev-5", "dev-69999"].sort());
    expect(await matches(["x"], "text", [])).toEqual([]);
  });

  it("matches whole numbers and refuses anything else", async () => {
    expect(await matches(["1", "2", "7", "10"], "int", [2, 7, 11])).toEqual(["2", "7"]);
    expect(() => anyOf("int", [1.5])).toThrow(TypeError);
  });
});
