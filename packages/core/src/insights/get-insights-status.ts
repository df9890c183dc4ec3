import type { ModelCard } from "@homepot/contracts/insights";
import { type Context, readDb } from "../context.ts";
import { countInsightData } from "./insights.repository.ts";
import { STREAMING_MODEL_CARD } from "./model-card.ts";
import { HOUR_MS } from "./models/series.ts";
import { defaultStreamingOptions } from "./models/streaming-anomaly.ts";

export interface InsightsStatus {
  status: "ready" | "insufficient_data";
  engine: string;
  external_services: false;
  generated_at: string;
  window: { start: string; end: string; days: number };
  data: Record<string, number>;
  models: { name: string; method: string; inputs: string[]; ready: boolean; needs: string }[];
  /** The live streaming detector's card: parameters and its NAB figures with their date. */
  model_card: ModelCard;
}

/** What the insight models are and whether the last week holds enough data for each. */
export async function getInsightsStatus(ctx: Context): Promise<InsightsStatus> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - 7 * 24 * HOUR_MS);
  const c = await countInsightData(readDb(ctx), since);
  const models = [
    {
      name: "health_score",
      method: "weighted penalties between warn/critical levels per factor",
      inputs: ["device_metrics", "health_checks", "device_state_history"],
      ready: c.metrics + c.checks > 0,
      needs: "device metrics or health checks",
    },
    {
      name: "failure_risk",
      method:
        "Theil–Sen slopes to failure levels, Poisson/binomial excess over the device's own rates, config impact, noisy-OR",
      inputs: ["device_metrics", "health_checks", "error_logs", "configuration_history", "device_state_history"],
      ready: c.metrics >= 6,
      needs: "at least 6 metric samples of a device",
    },
    {
      name: "anomalies",
      method: "robust z-score (median/MAD) per device, operating-hours check, flapping and job-failure rate tests",
      inputs: ["device_metrics", "site_operating_schedules", "device_state_history", "job_outcomes"],
      ready: c.metrics >= 20,
      needs: "20 baseline samples per device",
    },
    {
      name: STREAMING_MODEL_CARD.name,
      method: STREAMING_MODEL_CARD.method,
      inputs: ["device_metrics (as they arrive)"],
      ready: c.metrics >= defaultStreamingOptions.learningSamples,
      needs: `${defaultStreamingOptions.learningSamples} samples of a device's metric before it scores`,
    },
    {
      name: "maintenance_windows",
      method:
        "cost over the job's span from schedule phase, observed volume by hour of week and past job failures by hour",
      inputs: ["site_operating_schedules", "device_metrics", "job_outcomes"],
      ready: c.schedules > 0 || c.metrics > 0,
      needs: "a schedule or observed transactions",
    },
    {
      name: "error_patterns",
      method: "grouping by category/code/device/site/hour of week; recurrence over days, Poisson rise between halves",
      inputs: ["error_logs"],
      ready: c.errors > 0,
      needs: "logged errors",
    },
  ];
  return {
    status: models.some((m) => m.ready) ? "ready" : "insufficient_data",
    engine: "homepot-insights (TypeScript statistics, in process)",
    external_services: false,
    generated_at: now.toISOString(),
    window: { start: since.toISOString(), end: now.toISOString(), days: 7 },
    data: {
      device_metrics: c.metrics,
      health_checks: c.checks,
      device_state_history: c.states,
      job_outcomes: c.outcomes,
      error_logs: c.errors,
      configuration_history: c.configs,
      site_operating_schedules: c.schedules,
      open_alerts: c.openAlerts,
    },
    models,
    model_card: STREAMING_MODEL_CARD,
  };
}
