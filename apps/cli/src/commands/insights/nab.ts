import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { NAB_DETECTOR, type NabReport, runNab } from "@homepot/core/insights/nab/run-nab";
import { CliError } from "../../lib/cli-error.ts";
import { formatTable, print, printJson } from "../../lib/output.ts";
import { ProgressBar } from "../../lib/progress.ts";

/** The corpus as the workplace lays it out: `shared/nab` beside the repository. */
const defaultNabDir = fileURLToPath(new URL("../../../../../../shared/nab", import.meta.url));

export const NAB_HELP = `Usage: homepot insights nab [--data DIR] [--out DIR] [--json]

Runs HOMEPOT's streaming anomaly detector (the one the server uses; one parameter set, each score from
past values only) over every series of the Numenta Anomaly Benchmark and scores it with NAB's method:
labelled windows, the scaled-sigmoid reward, false positives weighted per profile, one threshold optimised
over the corpus, normalised 0 (null detector) … 100 (perfect). Prints our three scores beside the
published scoreboard.

  --data DIR   the NAB corpus (data/, labels/combined_windows.json, profiles.json; default
               $HOMEPOT_NAB_DIR or ../shared/nab beside the repository)
  --out DIR    also write NAB's results layout: DIR/${NAB_DETECTOR}/<category>/${NAB_DETECTOR}_<file>.csv
               (timestamp,value,anomaly_score), which NAB's own scorer reads unchanged
  --json       {scores: {standard, reward_low_FP_rate, reward_low_FN_rate}, threshold, per_file, …}`;

export function runNabCommand(values: { data?: string; out?: string; json?: boolean; quiet?: boolean }): number {
  const dataDir = resolve(values.data ?? process.env.HOMEPOT_NAB_DIR ?? defaultNabDir);
  if (!existsSync(resolve(dataDir, "labels", "combined_windows.json")))
    throw new CliError(`--data: no NAB corpus at ${dataDir} (expected labels/combined_windows.json and data/)`, 2);
  const bar = new ProgressBar("nab", !values.quiet && !values.json);
  const report = runNab({
    dataDir,
    outDir: values.out ? resolve(values.out) : undefined,
    onProgress: (done, total) => bar.update(done / total, `${done}/${total} files`),
  });
  bar.done(`${report.data.files} files, ${report.data.rows} values in ${report.data.seconds} s`);
  if (values.json) printJson(report);
  else print(formatNabReport(report, values.out));
  return 0;
}

export function formatNabReport(r: NabReport, out?: string): string {
  const profiles = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"];
  const board = [
    { detector: `${r.detector} (this run)`, ...Object.fromEntries(profiles.map((p) => [p, r.scores[p]?.toFixed(1)])) },
    ...Object.entries(r.published)
      .filter(([name]) => name !== "perfect")
      .sort((a, b) => (b[1].standard ?? 0) - (a[1].standard ?? 0))
      .map(([name, s]) => ({ detector: name, ...Object.fromEntries(profiles.map((p) => [p, s[p]?.toFixed(1)])) })),
  ];
  const worst = [...r.per_file].sort((a, b) => a.raw - b.raw).slice(0, 5);
  return [
    `NAB: ${r.data.files} series, ${r.data.rows} values, ${r.data.windows} labelled windows; detector ran in ${r.data.seconds} s (${r.data.microseconds_per_point} µs per value)`,
    `threshold (standard profile): ${r.threshold.toFixed(4)}`,
    "",
    formatTable(board),
    "",
    "Weakest series (standard profile):",
    formatTable(
      worst.map((f) => ({
        series: f.name,
        windows: f.windows,
        detected: f.detected,
        false_positives: f.false_positives,
        score: f.raw.toFixed(2),
      })),
    ),
    ...(out ? ["", `Results written in NAB's layout under ${out}/${r.detector}/`] : []),
  ].join("\n");
}
