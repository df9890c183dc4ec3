import type { Context } from "../../context.ts";
import { askQuestion } from "../ask-question.ts";
import { EVAL_SET, type EvalCase } from "./eval-set.ts";

export interface EvalFailure {
  q: string;
  expected: string;
  got: string;
  answer: string;
}

export interface EvalReport {
  questions: number;
  intent_correct: number;
  intent_accuracy: number;
  answer_checks: number;
  answer_correct: number;
  /** Figures in answers that no use case returned (must be 0). */
  invented_figures: number;
  unanswerable: number;
  declined_correctly: number;
  latency_ms: { p50: number; p95: number; max: number };
  failures: EvalFailure[];
}

const ENTITY = /pos-terminal-\d+|site-\d+/;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** Asks every question of the set (nothing recorded) and scores intents, answers and invented figures. */
export async function runEval(
  ctx: Context,
  cases: readonly EvalCase[] = EVAL_SET,
  offlineAfterS = 300,
): Promise<EvalReport> {
  const failures: EvalFailure[] = [];
  const latencies: number[] = [];
  let intentCorrect = 0;
  let answerChecks = 0;
  let answerCorrect = 0;
  let invented = 0;
  let declined = 0;
  for (const c of cases) {
    const started = performance.now();
    const a = await askQuestion(
      ctx,
      { question: c.q, siteId: c.siteId, deviceId: c.deviceId },
      { offlineAfterS, record: false },
    );
    latencies.push(performance.now() - started);
    invented += a.invented_figures.length;
    if (a.intent === c.intent) intentCorrect += 1;
    else failures.push({ q: c.q, expected: c.intent, got: a.intent, answer: a.answer });
    if (c.intent === "unknown" && !a.answered) declined += 1;
    if (c.first || c.contains) {
      answerChecks += 1;
      const first = ENTITY.exec(a.answer)?.[0];
      const ok = a.answered && (!c.first || first === c.first) && (c.contains ?? []).every((s) => a.answer.includes(s));
      if (ok) answerCorrect += 1;
      else
        failures.push({
          q: c.q,
          expected: `answer naming ${c.first ?? ""} ${(c.contains ?? []).join(", ")}`.trim(),
          got: `first ${first ?? "none"}`,
          answer: a.answer,
        });
    }
  }
  const sorted = [...latencies].sort((x, y) => x - y);
  return {
    questions: cases.length,
    intent_correct: intentCorrect,
    intent_accuracy: Math.round((intentCorrect / Math.max(cases.length, 1)) * 1000) / 1000,
    answer_checks: answerChecks,
    answer_correct: answerCorrect,
    invented_figures: invented,
    unanswerable: cases.filter((c) => c.intent === "unknown").length,
    declined_correctly: declined,
    latency_ms: {
      p50: Math.round(percentile(sorted, 0.5)),
      p95: Math.round(percentile(sorted, 0.95)),
      max: Math.round(sorted.at(-1) ?? 0),
    },
    failures,
  };
}
