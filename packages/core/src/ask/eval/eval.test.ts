import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Context, silentLogger } from "../../context.ts";
import { ASK_NOW, seedAskFleet } from "./ask-fleet.ts";
import { EVAL_SET } from "./eval-set.ts";
import { runEval } from "./run-eval.ts";

let database: TestDatabase;
let ctx: Context;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = {
    db: database.db,
    actor: { kind: "system", name: "eval" },
    clock: { now: () => ASK_NOW },
    logger: silentLogger,
  };
  await seedAskFleet(ctx);
}, 60_000);

afterAll(async () => {
  await database.close();
});

describe("Ask HOMEPOT evaluation set", () => {
  it("reads at least 95 % of the questions right, answers them from the seeded fleet and invents no figure", async () => {
    expect(EVAL_SET.length).toBeGreaterThanOrEqual(150);
    expect(EVAL_SET.filter((c) => c.intent === "unknown").length).toBeGreaterThanOrEqual(20);
    const r = await runEval(ctx);
    expect(r.intent_accuracy, JSON.stringify(r.failures.slice(0, 5))).toBeGreaterThanOrEqual(0.95);
    expect(r.answer_correct / r.answer_checks).toBeGreaterThanOrEqual(0.95);
    expect(r.declined_correctly).toBe(r.unanswerable);
    expect(r.invented_figures).toBe(0);
  }, 180_000);
});
