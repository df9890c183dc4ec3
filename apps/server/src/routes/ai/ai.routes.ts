import { AlertParams } from "@homepot/contracts/alerts";
import { toInput } from "@homepot/contracts/input";
import {
  AnomaliesQuery,
  AnomaliesResponse,
  AtRiskQuery,
  AtRiskResponse,
  DeviceInsightsResponse,
  DeviceParams,
  ErrorPatternsQuery,
  ErrorPatternsResponse,
  FailurePredictionResponse,
  FailureQuery,
  ForecastQuery,
  HealthForecastResponse,
  HealthQuery,
  InsightsStatusResponse,
  LiveAnomaliesQuery,
  LiveAnomaliesResponse,
  OptimalWindowsResponse,
  ResolveAlertResponse,
  ScheduleJobBody,
  ScheduleJobResponse,
  SiteInsightsResponse,
  SiteParams,
  SuccessProbabilityBody,
  SuccessProbabilityResponse,
  WindowsQuery,
} from "@homepot/contracts/insights";
import { type Context, systemClock } from "@homepot/core";
import { resolveAlert } from "@homepot/core/alerts/change-alert-status";
import { presentAlert } from "@homepot/core/alerts/present";
import { estimateJobSuccess } from "@homepot/core/insights/estimate-job-success";
import { findErrorPatterns } from "@homepot/core/insights/find-error-patterns";
import { findOptimalWindows } from "@homepot/core/insights/find-optimal-windows";
import { getDeviceInsights } from "@homepot/core/insights/get-device-insights";
import { getInsightsStatus } from "@homepot/core/insights/get-insights-status";
import { getSiteInsights } from "@homepot/core/insights/get-site-insights";
import { predictDeviceFailure } from "@homepot/core/insights/predict-device-failure";
import { recommendJobSchedule } from "@homepot/core/insights/recommend-job-schedule";
import type { FastifyRequest } from "fastify";
import type { InsightInput, InsightOp } from "../../insights-process/ops.ts";
import { ok, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";
import { SlowResults, slowResultKey } from "./slow-results.ts";

/** `{success, count, …result}`: an answer counted by the rows of its main list. */
const counted = <T extends object>(rows: unknown[], result: T) => ({
  success: true as const,
  count: rows.length,
  ...result,
});

/**
 * Insights (SPEC §3 "Insights, under /ai"); every answer explains its numbers. Every signed-in role reads them
 * (recommendations are computed, nothing is stored); resolving an alert changes it, so it needs an operator.
 */
export const aiRoutes = featureRoutes(["ai"], (app) => {
  // Whole-fleet answers: a few at a time, shared, and reused for a minute when slow to compute (see SlowResults).
  const { insightsReuseS, insightsConcurrency } = app.deps.config;
  const slow = new SlowResults(undefined, insightsReuseS * 1000, insightsConcurrency);
  const fleetWide = <K extends InsightOp>(request: FastifyRequest, ctx: Context, op: K, input: InsightInput<K>) =>
    slow.get(slowResultKey(request.routeOptions.url ?? request.url, request.query, request.actor), () =>
      app.insights.run(op, ctx, input),
    );
  const auth = "viewer";

  return [
    route.get(
      "/insights/device/:device_id",
      { auth, params: DeviceParams, query: HealthQuery, response: DeviceInsightsResponse },
      async ({ ctx, params, query }) => ok(await getDeviceInsights(ctx, params.device_id, toInput(query))),
    ),

    route.get(
      "/insights/site/:site_id",
      { auth, params: SiteParams, query: HealthQuery, response: SiteInsightsResponse },
      async ({ ctx, params, query }) => ok(await getSiteInsights(ctx, params.site_id, toInput(query))),
    ),

    route.get(
      "/predictions/failure/:device_id",
      { auth, params: DeviceParams, query: FailureQuery, response: FailurePredictionResponse },
      async ({ ctx, params, query }) => ok(await predictDeviceFailure(ctx, params.device_id, toInput(query))),
    ),

    route.get(
      "/predictions/at-risk-devices",
      { auth, query: AtRiskQuery, response: AtRiskResponse },
      async ({ ctx, query, request }) => {
        const r = await fleetWide(request, ctx, "atRisk", toInput(query));
        return counted(r.devices, r);
      },
    ),

    route.get(
      "/recommendations/optimal-windows/:site_id",
      { auth, params: SiteParams, query: WindowsQuery, response: OptimalWindowsResponse },
      async ({ ctx, params, query }) => {
        const r = await findOptimalWindows(ctx, params.site_id, toInput(query));
        return counted(r.windows, r);
      },
    ),

    route.post(
      "/recommendations/schedule-job",
      { auth, body: ScheduleJobBody, response: ScheduleJobResponse },
      async ({ ctx, body }) => ok(await recommendJobSchedule(ctx, toInput(body))),
    ),

    route.post(
      "/recommendations/success-probability",
      { auth, body: SuccessProbabilityBody, response: SuccessProbabilityResponse },
      async ({ ctx, body }) => ok(await estimateJobSuccess(ctx, toInput(body))),
    ),

    route.get(
      "/anomalies",
      { auth, query: AnomaliesQuery, response: AnomaliesResponse },
      async ({ ctx, query: { limit, ...query }, request }) => {
        // Only the first `limit` are answered; `total` still counts them all.
        const r = await fleetWide(request, ctx, "anomalies", toInput(query));
        const shown = limit === undefined ? r.anomalies : r.anomalies.slice(0, limit);
        return counted(shown, { total: r.anomalies.length, ...r, anomalies: shown });
      },
    ),

    route.get(
      "/anomalies/live",
      { auth, query: LiveAnomaliesQuery, response: LiveAnomaliesResponse },
      async ({ query: q }) => {
        const since = new Date((app.deps.clock ?? systemClock).now().getTime() - q.hours * 3_600_000);
        const anomalies = await app.liveAnomalies.list(app.reads.db, { deviceId: q.device_id, since, limit: q.limit });
        return counted(anomalies, {
          devices_watched: app.liveAnomalies.deviceCount,
          since: since.toISOString(),
          anomalies,
        });
      },
    ),

    route.put(
      "/alerts/:id/resolve",
      { auth: "operator", params: AlertParams, response: ResolveAlertResponse },
      async ({ ctx, params }) => {
        const r = await resolveAlert(ctx, params.id);
        return okWrite(r.already ? "Alert was already resolved" : "Alert resolved", presentAlert(r.alert));
      },
    ),

    route.get(
      "/error-patterns",
      { auth, query: ErrorPatternsQuery, response: ErrorPatternsResponse },
      async ({ ctx, query: q }) => {
        const r = await findErrorPatterns(ctx, {
          days: q.days,
          start: q.start_date,
          end: q.end_date,
          siteId: q.site_id,
          deviceId: q.device_id,
          category: q.category,
          limit: q.limit,
        });
        return { success: true as const, ...r };
      },
    ),

    route.get(
      "/health-forecast",
      { auth, query: ForecastQuery, response: HealthForecastResponse },
      async ({ ctx, query, request }) => {
        const r = await fleetWide(request, ctx, "forecast", toInput(query));
        return counted(r.devices, r);
      },
    ),

    route.get("/status", { auth, response: InsightsStatusResponse }, async ({ ctx }) =>
      ok(await getInsightsStatus(ctx)),
    ),
  ];
});
