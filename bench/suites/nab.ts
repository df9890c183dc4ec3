import { fileURLToPath } from "node:url";
import { runNab } from "@homepot/core/insights/nab/run-nab";
import type { BenchOptions } from "../lib/types.ts";

/**
 * The streaming anomaly detector over the whole Numenta Anomaly Benchmark (58 series, 365 558 values;
 * $HOMEPOT_NAB_DIR or ../shared/nab), scored with our NAB scorer: the three profile scores (0–100) and the
 * detector's time per value. Needs no database; --quick changes nothing (the corpus is a fixed size).
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const dataDir = process.env.HOMEPOT_NAB_DIR ?? fileURLToPath(new URL("../../../shared/nab", import.meta.url));
  const report = runNab({
    dataDir,
    onProgress: (done, total) => done === total && options.log(`nab: ${total} series`),
  });
  return {
    nab_standard: report.scores.standard ?? 0,
    nab_reward_low_fp: report.scores.reward_low_FP_rate ?? 0,
    nab_reward_low_fn: report.scores.reward_low_FN_rate ?? 0,
    nab_seconds: report.data.seconds,
    nab_us_per_value: report.data.microseconds_per_point,
  };
}
