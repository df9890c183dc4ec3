import { BACKTEST_METHODS, type SeedsResult } from "@homepot/core/insights/backtest-seeds";
import { formatTable } from "../../lib/output.ts";

const num = (x: number | null, digits = 2) => (x === null ? "n/a" : x.toFixed(digits));

/** The multi-seed report: per method (mean and worst over the seeds), per fault kind, per seed. */
export function formatSeedsReport(r: SeedsResult, command: string): string {
  const methods = BACKTEST_METHODS.map((m) => {
    const a = r.aggregate[m];
    return {
      method: m,
      precision_mean: num(a.precision.mean),
      precision_worst: num(a.precision.worst),
      strict_mean: num(a.strict_precision.mean),
      strict_worst: num(a.strict_precision.worst),
      recall_mean: num(a.recall.mean),
      recall_worst: num(a.recall.worst),
      median_lead_min: num(a.median_lead_minutes, 1),
      lead_gradual_min: num(a.median_lead_minutes_gradual, 1),
      false_alarms: a.false_alarms,
    };
  });
  const kinds = Object.entries(r.by_kind).map(([kind, k]) => ({
    fault: kind,
    faults: k.faults,
    failed: k.failed,
    gradual: k.gradual,
    detected: k.detected,
    recall: num(k.recall),
    median_lead_min: num(k.median_lead_minutes, 1),
  }));
  const seeds = r.per_seed.map((s) => ({
    seed: s.seed,
    faults: s.faults,
    precision: num(s.scores.combined.precision_excluding_incidents),
    strict: num(s.scores.combined.precision),
    recall: num(s.scores.combined.recall),
    lead_gradual_min: num(s.scores.combined.median_lead_minutes_gradual, 1),
    false_alarms: s.scores.combined.false_alarms,
    risk_recall: num(s.scores.failure_risk.recall),
  }));
  const benign = Object.entries(r.benign).map(([kind, b]) => ({
    benign_event: kind,
    events: b.events,
    drew_a_false_alarm: b.alarmed,
  }));
  const causes = Object.entries(r.false_alarm_causes)
    .sort((a, b) => b[1].counted - a[1].counted || b[1].alarms - a[1].alarms)
    .map(([near, c]) => ({
      combined_false_alarms_near: near,
      alarms: c.alarms,
      counted: c.counted,
      during_incidents: c.alarms - c.counted,
    }));
  const g = r.goals;
  const frg = r.failure_risk_gradual;
  return [
    `$ ${command}`,
    `${r.seeds.length} seeds, ${r.data.reports} reports, ${r.data.evaluations} device evaluations`,
    "",
    formatTable(methods),
    "",
    formatTable(kinds),
    "",
    formatTable(seeds),
    "",
    ...(benign.length ? [formatTable(benign), ""] : []),
    ...(causes.length
      ? [formatTable(causes), "(each false alarm with its score and nearest event: --json, false_alarms)", ""]
      : []),
    `Failure risk on gradual faults: recall ${num(frg.recall)} over ${frg.faults}, median lead ${num(frg.median_lead_minutes, 1)} min.`,
    `Goals over the seeds: combined precision mean ≥ ${g.combined_precision_mean} and worst ≥ ${g.combined_precision_worst}, recall mean ≥ ${g.combined_recall_mean};` +
      ` failure-risk recall on gradual faults ≥ ${g.failure_risk_gradual_recall} with median lead ≥ ${g.failure_risk_gradual_median_lead_minutes} min:` +
      ` ${g.met ? "MET" : "NOT MET"} (with strict precision: ${g.met_strict_precision ? "met" : "not met"}).`,
  ].join("\n");
}
