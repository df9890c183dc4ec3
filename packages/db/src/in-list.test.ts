import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inList } from "./in-list.ts";
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
