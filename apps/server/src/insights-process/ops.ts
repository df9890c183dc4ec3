import type { Context } from "@homepot/core";
import { detectAnomalies } from "@homepot/core/insights/detect-anomalies";
import { forecastFleetHealth } from "@homepot/core/insights/forecast-fleet-health";
import { listAtRiskDevices } from "@homepot/core/insights/list-at-risk-devices";
import { raiseRiskAlerts } from "@homepot/core/insights/raise-risk-alerts";

/**
 * The whole-fleet insights the helper process runs: each a use case taking a context and plain input. The failure-risk
 * sweep (the anomaly-detection task) too: it scores every device with new data every five minutes.
 */
export const INSIGHT_OPS = {
  atRisk: listAtRiskDevices,
  forecast: forecastFleetHealth,
  anomalies: detectAnomalies,
  riskSweep: raiseRiskAlerts,
} as const;

export type InsightOp = keyof typeof INSIGHT_OPS;
export type InsightInput<K extends InsightOp> = NonNullable<Parameters<(typeof INSIGHT_OPS)[K]>[1]>;
export type InsightResult<K extends InsightOp> = Awaited<ReturnType<(typeof INSIGHT_OPS)[K]>>;

/** One computation asked of the helper process: what the use case needs of the request's context, and its input. */
export interface InsightRequest {
  id: number;
  op: InsightOp;
  input: unknown;
  actor: Context["actor"];
  permission: Context["permission"];
  /** The request's time when the server runs on a clock of its own (tests); absent: the real time. */
  now?: Date;
  /** Read from the replica (the server found it healthy) rather than the primary. */
  replica: boolean;
}

/** The helper's answer: the result, or the error as its class name and message (the server raises it again). */
export type InsightReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; field?: string } };

/** Run `op` with `input` in this process. */
export function runInsight(op: InsightOp, ctx: Context, input: unknown): Promise<unknown> {
  return (INSIGHT_OPS[op] as (ctx: Context, input: unknown) => Promise<unknown>)(ctx, input);
}
