import {
  type BacktestMethod,
  type BacktestOptions,
  type BacktestResult,
  type FalseAlarm,
  runBacktest,
} from "./backtest.ts";
import { mean, median, round } from "./models/stats.ts";

/**
 * The backtest over many seeds (`homepot insights backtest --seeds 1-20`): each seed draws another fleet, other
 * background incidents and another fault plan, so the figures say how the predictions generalise, not how they do
 * on one lucky draw. Per method: mean and worst precision, strict precision and recall over the seeds, lead times
 * pooled over every detected fault; per fault kind: pooled recall and lead.
 */

export const BACKTEST_METHODS: readonly BacktestMethod[] = ["failure_risk", "anomalies", "combined"];

export interface Spread {
  mean: number | null;
  worst: number | null;
}

export interface MethodAggregate {
  precision: Spread;
  strict_precision: Spread;
  recall: Spread;
  /** Median lead over every detected fault of every seed (minutes; negative: detected after the failure). */
  median_lead_minutes: number | null;
  median_lead_minutes_gradual: number | null;
  detected: number;
  missed: number;
  false_alarms: number;
}

export interface KindAggregate {
  faults: number;
  failed: number;
  detected: number;
  recall: number | null;
  median_lead_minutes: number | null;
  gradual: number;
}

export interface SeedsResult {
  seeds: number[];
  per_seed: Array<{ seed: number; faults: number; scores: BacktestResult["scores"] }>;
  aggregate: Record<BacktestMethod, MethodAggregate>;
  by_kind: Record<string, KindAggregate>;
  /** Benign events per kind: how many, and how many drew a false alarm (combined alarms). */
  benign: Record<string, { events: number; alarmed: number }>;
  /** Every false alarm of every seed and method, with its score and the event nearest to it. */
  false_alarms: Array<FalseAlarm & { seed: number }>;
  /**
   * The combined method's false alarms by what was near them: the nearest event's kind when the alarm came within
   * `CAUSE_WINDOW_MINUTES` of it, else "nothing near". `counted`: those not raised during a background incident
   * (the ones precision counts).
   */
  false_alarm_causes: Record<string, { alarms: number; counted: number }>;
  /** The failure-risk model on gradual faults alone (those with symptoms at least 5 minutes before failing). */
  failure_risk_gradual: { faults: number; recall: number | null; median_lead_minutes: number | null };
  /** The goals over the seeds. */
  goals: {
    combined_precision_mean: number;
    combined_precision_worst: number;
    combined_recall_mean: number;
    failure_risk_gradual_recall: number;
    failure_risk_gradual_median_lead_minutes: number;
    met: boolean;
    met_strict_precision: boolean;
  };
  data: { reports: number; metrics_rows: number; evaluations: number };
}

/** How close (minutes after an event's end, or before its start) an event must be to count as a false alarm's cause. */
export const CAUSE_WINDOW_MINUTES = 30;

/** What a false alarm was near: the nearest event's kind if close enough, else "nothing near". */
export function falseAlarmCause(a: FalseAlarm): string {
  const e = a.nearest_event;
  if (!e) return "nothing near";
  const at = Date.parse(a.at);
  const before = Date.parse(e.at) - at;
  const after = e.until === null ? 0 : at - Date.parse(e.until);
  return Math.max(before, after) <= CAUSE_WINDOW_MINUTES * 60_000 ? e.kind : "nothing near";
}

const spread = (xs: Array<number | null>): Spread => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length
    ? { mean: round(mean(v) as number, 3), worst: round(Math.min(...v), 3) }
    : { mean: null, worst: null };
};
const medianOf = (xs: number[]) => (xs.length ? round(median(xs) as number, 1) : null);
const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 3) : null);

/** Aggregates single-seed results (pure: no database, no clock). */
export function aggregateBacktests(results: readonly BacktestResult[]): SeedsResult {
  const faults = results.flatMap((r) => r.faults);
  const failed = faults.filter((f) => f.failed_at !== null);
  const aggregate = {} as Record<BacktestMethod, MethodAggregate>;
  for (const m of BACKTEST_METHODS) {
    const detected = failed.filter((f) => f.first_alarm[m] !== null);
    const leads = (gradualOnly: boolean) =>
      detected
        .filter((f) => !gradualOnly || f.gradual)
        .map((f) => f.lead_minutes[m])
        .filter((x): x is number => x !== null);
    aggregate[m] = {
      precision: spread(results.map((r) => r.scores[m].precision_excluding_incidents)),
      strict_precision: spread(results.map((r) => r.scores[m].precision)),
      recall: spread(results.map((r) => r.scores[m].recall)),
      median_lead_minutes: medianOf(leads(false)),
      median_lead_minutes_gradual: medianOf(leads(true)),
      detected: detected.length,
      missed: failed.length - detected.length,
      false_alarms: results.reduce((n, r) => n + r.scores[m].false_alarms, 0),
    };
  }
  const by_kind: Record<string, KindAggregate> = {};
  for (const kind of [...new Set(faults.map((f) => f.kind))].sort()) {
    const mine = faults.filter((f) => f.kind === kind);
    const hit = mine.filter((f) => f.failed_at !== null && f.first_alarm.combined !== null);
    by_kind[kind] = {
      faults: mine.length,
      failed: mine.filter((f) => f.failed_at !== null).length,
      detected: hit.length,
      recall: ratio(hit.length, mine.filter((f) => f.failed_at !== null).length),
      median_lead_minutes: medianOf(hit.map((f) => f.lead_minutes.combined).filter((x): x is number => x !== null)),
      gradual: mine.filter((f) => f.gradual).length,
    };
  }
  const benign: SeedsResult["benign"] = {};
  for (const e of results.flatMap((r) => r.benign ?? [])) {
    const b = benign[e.kind] ?? { events: 0, alarmed: 0 };
    benign[e.kind] = b;
    b.events += 1;
    if ((e.alarms.combined ?? 0) > 0) b.alarmed += 1;
  }
  const false_alarms = results.flatMap((r) =>
    (r.false_alarm_details ?? []).map((a) => ({ seed: r.config.seed, ...a })),
  );
  const false_alarm_causes: SeedsResult["false_alarm_causes"] = {};
  for (const a of false_alarms.filter((x) => x.method === "combined")) {
    const cause = falseAlarmCause(a);
    const c = false_alarm_causes[cause] ?? { alarms: 0, counted: 0 };
    false_alarm_causes[cause] = c;
    c.alarms += 1;
    if (!a.during_incident) c.counted += 1;
  }
  const gradual = failed.filter((f) => f.gradual);
  const riskHits = gradual.filter((f) => f.first_alarm.failure_risk !== null);
  const failure_risk_gradual = {
    faults: gradual.length,
    recall: ratio(riskHits.length, gradual.length),
    median_lead_minutes: medianOf(
      riskHits.map((f) => f.lead_minutes.failure_risk).filter((x): x is number => x !== null),
    ),
  };
  const c = aggregate.combined;
  const goals = {
    combined_precision_mean: 0.9,
    combined_precision_worst: 0.8,
    combined_recall_mean: 0.9,
    failure_risk_gradual_recall: 0.9,
    failure_risk_gradual_median_lead_minutes: 30,
  };
  const rest =
    (c.recall.mean ?? 0) >= goals.combined_recall_mean &&
    (failure_risk_gradual.recall ?? 0) >= goals.failure_risk_gradual_recall &&
    (failure_risk_gradual.median_lead_minutes ?? Number.NEGATIVE_INFINITY) >=
      goals.failure_risk_gradual_median_lead_minutes;
  const precisionMet = (s: Spread) =>
    (s.mean ?? 0) >= goals.combined_precision_mean && (s.worst ?? 0) >= goals.combined_precision_worst;
  return {
    seeds: results.map((r) => r.config.seed),
    per_seed: results.map((r) => ({ seed: r.config.seed, faults: r.faults.length, scores: r.scores })),
    aggregate,
    by_kind,
    benign,
    false_alarms,
    false_alarm_causes,
    failure_risk_gradual,
    goals: {
      ...goals,
      met: rest && precisionMet(c.precision),
      met_strict_precision: rest && precisionMet(c.strict_precision),
    },
    data: {
      reports: results.reduce((n, r) => n + r.data.reports, 0),
      metrics_rows: results.reduce((n, r) => n + r.data.metrics_rows, 0),
      evaluations: results.reduce((n, r) => n + r.data.evaluations, 0),
    },
  };
}

/** Runs the backtest once per seed (each on its own fresh database) and aggregates. */
export async function runBacktestSeeds(
  seeds: readonly number[],
  options: Omit<BacktestOptions, "seed" | "database" | "onProgress"> & {
    onProgress?: (seedIndex: number, done: number, total: number) => void;
  } = {},
): Promise<SeedsResult> {
  const { onProgress, ...rest } = options;
  const results: BacktestResult[] = [];
  for (const [i, seed] of seeds.entries())
    results.push(await runBacktest({ ...rest, seed, onProgress: (done, total) => onProgress?.(i, done, total) }));
  return aggregateBacktests(results);
}

/** Parses "1-20", "1,5,9" or "1-5,9" into seeds (at most `max`). */
export function parseSeeds(text: string, max = 200): number[] | string {
  const out: number[] = [];
  for (const part of text.split(",").map((p) => p.trim())) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return `"${part}" is not a seed or a range like 1-20`;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return `"${part}": the range ends before it starts`;
    for (let s = from; s <= to; s++) if (!out.includes(s)) out.push(s);
    if (out.length > max) return `at most ${max} seeds`;
  }
  return out;
}
