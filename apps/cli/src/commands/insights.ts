import { type BacktestResult, runBacktest } from "@homepot/core/insights/backtest";
import { parseSeeds, runBacktestSeeds } from "@homepot/core/insights/backtest-seeds";
import { type InjectedFaultKind, injectedFaultKinds } from "@homepot/core/simulator/device-model";
import { parse } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { formatTable, print, printJson } from "../lib/output.ts";
import { ProgressBar } from "../lib/progress.ts";
import { formatSeedsReport } from "./insights/backtest-seeds.ts";
import { NAB_HELP, runNabCommand } from "./insights/nab.ts";

export const summary =
  "insights tools: backtest (failure risk and anomalies on the simulator), nab (the anomaly detector on the Numenta Anomaly Benchmark)";

const HELP = `Usage: homepot insights backtest|nab …

${NAB_HELP}

Usage: homepot insights backtest [--devices N] [--hours H] [--seed S | --seeds 1-20] [--kinds k1,k2] [--json]

Runs the fleet simulator on a fresh in-memory database with a fast-forwarded clock (reports every 60 s,
evaluations every 5 simulated minutes), injects faults with known ground truth (${injectedFaultKinds.join(", ")})
into half of the devices after a warm-up, and scores the failure-risk model and the anomaly detectors
against it: precision, recall and lead time before the failure (simulated minutes; negative = detected
after). Progress goes to stderr; the report to stdout.

  --devices N     simulated devices (default 12)
  --hours H       simulated hours including a 2 h warm-up (default 8)
  --seed S        seed of the simulator and the fault plan (default 42)
  --seeds LIST    run every seed of LIST (e.g. 1-20 or 1,5,9) and report per method the mean and worst
                  precision, strict precision and recall over the seeds, lead times pooled over every fault,
                  a per-fault-kind table and a per-seed table
  --kinds LIST    fault kinds to inject (default: all of them)
  --json          the whole result as JSON
  --quiet, -q     no progress bar`;

export const subcommands = ["backtest", "nab"];

const int = (value: string, name: string, min: number, max: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`${name} must be an integer from ${min} to ${max}`, 2);
  return n;
};

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    devices: { type: "string", default: "12" },
    hours: { type: "string", default: "8" },
    seed: { type: "string", default: "42" },
    seeds: { type: "string" },
    kinds: { type: "string" },
    data: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
    help: { type: "boolean", short: "h" },
  });
  const [sub] = positionals;
  if (values.help || !sub) {
    print(HELP);
    return values.help ? 0 : 2;
  }
  if (sub === "nab") return runNabCommand(values);
  if (sub !== "backtest") throw new CliError(`unknown subcommand "${sub}" (try: homepot insights backtest|nab)`, 2);
  const devices = int(values.devices, "--devices", 2, 500);
  const hours = int(values.hours, "--hours", 4, 72);
  const seed = int(values.seed, "--seed", 0, 2 ** 31 - 1);
  let kinds: InjectedFaultKind[] | undefined;
  if (values.kinds) {
    kinds = values.kinds.split(",").map((k) => k.trim()) as InjectedFaultKind[];
    const bad = kinds.find((k) => !injectedFaultKinds.includes(k));
    if (bad) throw new CliError(`--kinds: unknown fault kind "${bad}" (known: ${injectedFaultKinds.join(", ")})`, 2);
  }
  if (values.seeds !== undefined) {
    const seeds = parseSeeds(values.seeds);
    if (typeof seeds === "string") throw new CliError(`--seeds: ${seeds}`, 2);
    const bar = new ProgressBar("backtest", !values.quiet);
    const result = await runBacktestSeeds(seeds, {
      devices,
      hours,
      kinds,
      onProgress: (i, done, total) =>
        bar.update((i + done / total) / seeds.length, `seed ${seeds[i]} (${i + 1}/${seeds.length})`),
    });
    bar.done(`${seeds.length} seeds, ${result.data.reports} reports`);
    if (values.json) printJson(result);
    else
      print(
        formatSeedsReport(
          result,
          `homepot insights backtest --devices ${devices} --hours ${hours} --seeds ${values.seeds}${values.kinds ? ` --kinds ${values.kinds}` : ""}`,
        ),
      );
    return 0;
  }
  const bar = new ProgressBar("backtest", !values.quiet);
  const result = await runBacktest({
    devices,
    hours,
    seed,
    kinds,
    onProgress: (done, total) => bar.update(done / total, `${Math.round((done * 5) / 60)}h/${hours}h simulated`),
  });
  bar.done(`${result.data.reports} reports, ${result.data.evaluations} evaluations`);
  if (values.json) printJson(result);
  else
    print(
      formatReport(
        result,
        `homepot insights backtest --devices ${devices} --hours ${hours} --seed ${seed}${values.kinds ? ` --kinds ${values.kinds}` : ""}`,
      ),
    );
  return 0;
}

export function formatReport(r: BacktestResult, command: string): string {
  const pct = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));
  const min = (x: number | null) => (x === null ? "n/a" : `${x}`);
  const scores = (["failure_risk", "anomalies", "combined"] as const).map((m) => ({
    method: m,
    precision: pct(r.scores[m].precision_excluding_incidents),
    strict_precision: pct(r.scores[m].precision),
    recall: pct(r.scores[m].recall),
    median_lead_min: min(r.scores[m].median_lead_minutes),
    lead_gradual_min: min(r.scores[m].median_lead_minutes_gradual),
    detected: r.scores[m].detected,
    missed: r.scores[m].missed,
    false_alarms: r.scores[m].false_alarms,
  }));
  const faults = r.faults.map((f) => ({
    device: f.device_id,
    fault: f.kind,
    injected: f.injected_at.slice(11, 16),
    failed: f.failed_at?.slice(11, 16) ?? "-",
    risk_lead: min(f.lead_minutes.failure_risk),
    anomaly_lead: min(f.lead_minutes.anomalies),
    lead: min(f.lead_minutes.combined),
  }));
  const benign = r.benign.map((e) => ({
    benign_event: e.kind,
    where: e.device_id ?? e.site_id,
    from: e.at.slice(11, 16),
    to: e.until.slice(11, 16),
    false_alarms: Object.entries(e.alarms)
      .map(([m, n]) => `${m} ${n}`)
      .join(", "),
  }));
  const g = r.goals;
  return [
    `$ ${command}`,
    `${r.config.devices} devices, ${r.config.hours} simulated hours (${r.config.start} → ${r.config.end}), ${r.data.reports} reports, ${r.data.evaluations} device evaluations`,
    "",
    formatTable(scores),
    "",
    formatTable(faults),
    "",
    ...(benign.length ? [formatTable(benign), ""] : []),
    "Precision: share of alarms pointing at a real problem (an injected fault, or a stretch where most of the device's own",
    "reports were unhealthy); strict_precision counts only injected faults as real. Lead: simulated minutes from the first",
    "alarm to the failure (negative: detected after it). Gradual faults show symptoms before failing; sudden ones can only be detected.",
    `Goals (combined): precision ≥ ${g.precision}, recall ≥ ${g.recall}, median lead on gradual faults ≥ ${g.median_lead_minutes} min: ${g.met ? "MET" : "NOT MET"}` +
      ` (strict precision ${g.met_strict_precision ? "met" : "not met"}; median lead over all faults ${g.met_all_faults_lead ? "met" : "not met"})`,
    ...(r.false_alarm_details.length
      ? [
          "",
          "Alarms outside injected faults:",
          ...r.false_alarm_details.map(
            (a) =>
              `  ${a.at.slice(11, 16)} ${a.device_id} ${a.method}${a.during_incident ? " (during an unhealthy stretch)" : ""}: ${a.reason}`,
          ),
        ]
      : []),
  ].join("\n");
}
