import type { Draft } from "./answer-builder.ts";
import { answerDataFreshness, answerFleetStatus, answerJobOutcomes } from "./answer-fleet.ts";
import { answerAnomalies, answerBestWindow, answerFailureRisk, answerWhyUnhealthy } from "./answer-insights.ts";
import { answerCompare, answerErrorPatterns, answerTopN } from "./answer-rankings.ts";
import type { IntentInput } from "./intent-context.ts";
import type { AnswerableIntent } from "./parse-question.ts";

/** Each intent's answer: the use cases it calls and its template. `null`: the question lacks what it needs. */
export const ANSWERS: Record<AnswerableIntent, (input: IntentInput) => Promise<Draft | null>> = {
  fleet_status: answerFleetStatus,
  top_n: answerTopN,
  why_unhealthy: answerWhyUnhealthy,
  failure_risk: answerFailureRisk,
  best_window: answerBestWindow,
  error_patterns: answerErrorPatterns,
  anomalies: answerAnomalies,
  compare: answerCompare,
  job_outcomes: answerJobOutcomes,
  data_freshness: answerDataFreshness,
};

/** What a question of this intent must name when it names nothing the engine can use. */
export const NEEDS: Partial<Record<AnswerableIntent, string>> = {
  why_unhealthy: "name the device or site (for example a device id like pos-terminal-003, or “till 3”)",
  best_window: "name the site (for example site-003, or “store 3”)",
  compare: "name two sites or two periods",
};
