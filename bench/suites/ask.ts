import { systemContext } from "@homepot/core";
import { askQuestion } from "@homepot/core/ask/ask-question";
import { ASK_NOW, seedAskFleet } from "@homepot/core/ask/eval/ask-fleet";
import { EVAL_SET } from "@homepot/core/ask/eval/eval-set";
import { getDeviceInsights } from "@homepot/core/insights/get-device-insights";
import { type Database, migrateDatabase, openDatabase, updateStatistics } from "@homepot/db";
import type { BenchOptions } from "../lib/types.ts";

/**
 * Ask HOMEPOT on the demo fleet (3 sites, 12 tills, three days of metrics, health checks, errors and jobs: the
 * evaluation fleet), on PostgreSQL and on embedded PGlite: every question of the evaluation set asked through
 * `askQuestion` (the code behind POST /ai/query, history write included), after one warm-up round. Figures:
 * p50/p95/max latency per engine, and `ask_p95_over_device_insights` — the p95 against the median of one
 * device's insights (GET /ai/insights/device) on the same database, so the figure compares across machines.
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const rounds = options.quick ? 1 : 3;
  const out: Record<string, number> = {};
  const engines: Array<{ name: string; open(): Promise<Database> }> = [
    { name: "postgres", open: () => openDatabase({ databaseUrl: options.databaseUrl, poolSize: 2 }) },
    { name: "pglite", open: () => openDatabase({ dataDir: "memory://" }) },
  ];
  for (const engine of engines) {
    const database = await engine.open();
    try {
      if (engine.name === "pglite") await migrateDatabase(database);
      const ctx = { ...systemContext(database.db, "bench"), clock: { now: () => ASK_NOW } };
      await seedAskFleet(ctx);
      await updateStatistics(database.db);
      options.log(`${engine.name}: asking ${EVAL_SET.length} questions × ${rounds} round(s)`);
      const ask = (i: number) => {
        const c = EVAL_SET[i % EVAL_SET.length];
        return askQuestion(
          ctx,
          { question: c?.q ?? "", siteId: c?.siteId, deviceId: c?.deviceId },
          { offlineAfterS: 300 },
        );
      };
      for (let i = 0; i < EVAL_SET.length; i++) await ask(i);
      const times: number[] = [];
      for (let i = 0; i < EVAL_SET.length * rounds; i++) {
        const t0 = performance.now();
        await ask(i);
        times.push(performance.now() - t0);
      }
      const base: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        await getDeviceInsights(ctx, "pos-terminal-007");
        base.push(performance.now() - t0);
      }
      const p = (xs: number[], q: number) =>
        [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
      out[`${engine.name}_ask_p50_ms`] = r1(p(times, 0.5));
      out[`${engine.name}_ask_p95_ms`] = r1(p(times, 0.95));
      out[`${engine.name}_ask_max_ms`] = r1(p(times, 1));
      out[`${engine.name}_device_insights_median_ms`] = r1(p(base, 0.5));
      out[`${engine.name}_ask_p95_over_device_insights`] = r1(p(times, 0.95) / Math.max(p(base, 0.5), 0.001));
    } finally {
      await database.close();
    }
  }
  return out;
}

function r1(x: number): number {
  return Math.round(x * 10) / 10;
}
