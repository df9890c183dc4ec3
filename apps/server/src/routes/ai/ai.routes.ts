import { AlertParams } from "@homepot/contracts/alerts";
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
import { systemClock } from "@homepot/core";
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
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";
import { SlowResults, slowResultKey } from "./slow-results.ts";

/**
 * Insights (SPEC §3 "Insights, under /ai"); every answer explains its numbers. Every signed-in role reads them
 * (recommendations are computed, nothing is stored); resolving an alert changes it, so it needs an operator.
 */
export const aiRoutes: FastifyPluginAsyncZod = async (app) => {
  const guard = { onRequest: app.authorize("viewer") };
  // Whole-fleet answers: a few at a time, shared, and reused for a minute when slow to compute (see SlowResults).
  const { insightsReuseS, insightsConcurrency } = app.deps.config;
  const slow = new SlowResults(undefined, insightsReuseS * 1000, insightsConcurrency);
  const shared = <T>(request: FastifyRequest, compute: () => Promise<T>) =>
    slow.get(slowResultKey(request.routeOptions.url ?? request.url, request.query, request.actor), compute);
  const tags = ["ai"];

  app.get(
    "/insights/device/:device_id",
    {
      ...guard,
      schema: { tags, params: DeviceParams, querystring: HealthQuery, response: { 200: DeviceInsightsResponse } },
    },
    async (request) => ({
      success: true as const,
      data: await getDeviceInsights(requestContext(request), request.params.device_id, { hours: request.query.hours }),
    }),
  );

  app.get(
    "/insights/site/:site_id",
    {
      ...guard,
      schema: { tags, params: SiteParams, querystring: HealthQuery, response: { 200: SiteInsightsResponse } },
    },
    async (request) => ({
      success: true as const,
      data: await getSiteInsights(requestContext(request), request.params.site_id, { hours: request.query.hours }),
    }),
  );

  app.get(
    "/predictions/failure/:device_id",
    {
      ...guard,
      schema: { tags, params: DeviceParams, querystring: FailureQuery, response: { 200: FailurePredictionResponse } },
    },
    async (request) => ({
      success: true as const,
      data: await predictDeviceFailure(requestContext(request), request.params.device_id, {
        horizonHours: request.query.horizon_hours,
      }),
    }),
  );

  app.get(
    "/predictions/at-risk-devices",
    { ...guard, schema: { tags, querystring: AtRiskQuery, response: { 200: AtRiskResponse } } },
    async (request) => {
      const q = request.query;
      const r = await shared(request, () =>
        app.insights.run("atRisk", requestContext(request), {
          siteId: q.site_id,
          horizonHours: q.horizon_hours,
          minProbability: q.min_probability,
          limit: q.limit,
        }),
      );
      return { success: true as const, count: r.devices.length, ...r };
    },
  );

  app.get(
    "/recommendations/optimal-windows/:site_id",
    {
      ...guard,
      schema: { tags, params: SiteParams, querystring: WindowsQuery, response: { 200: OptimalWindowsResponse } },
    },
    async (request) => {
      const q = request.query;
      const r = await findOptimalWindows(requestContext(request), request.params.site_id, {
        durationMinutes: q.duration_minutes,
        days: q.days,
        limit: q.limit,
        jobType: q.job_type,
      });
      return { success: true as const, count: r.windows.length, ...r };
    },
  );

  app.post(
    "/recommendations/schedule-job",
    { ...guard, schema: { tags, body: ScheduleJobBody, response: { 200: ScheduleJobResponse } } },
    async (request) => ({
      success: true as const,
      data: await recommendJobSchedule(requestContext(request), {
        siteId: request.body.site_id,
        durationMinutes: request.body.duration_minutes,
        jobType: request.body.job_type,
      }),
    }),
  );

  app.post(
    "/recommendations/success-probability",
    { ...guard, schema: { tags, body: SuccessProbabilityBody, response: { 200: SuccessProbabilityResponse } } },
    async (request) => {
      const b = request.body;
      return {
        success: true as const,
        data: await estimateJobSuccess(requestContext(request), {
          siteId: b.site_id,
          deviceIds: b.device_ids,
          jobType: b.job_type,
          scheduledAt: b.scheduled_at,
        }),
      };
    },
  );

  app.get(
    "/anomalies",
    { ...guard, schema: { tags, querystring: AnomaliesQuery, response: { 200: AnomaliesResponse } } },
    async (request) => {
      const q = request.query;
      const r = await shared(request, () =>
        app.insights.run("anomalies", requestContext(request), {
          siteId: q.site_id,
          deviceId: q.device_id,
          baselineHours: q.baseline_hours,
        }),
      );
      const shown = q.limit === undefined ? r.anomalies : r.anomalies.slice(0, q.limit);
      return { success: true as const, count: shown.length, total: r.anomalies.length, ...r, anomalies: shown };
    },
  );

  app.get(
    "/anomalies/live",
    { ...guard, schema: { tags, querystring: LiveAnomaliesQuery, response: { 200: LiveAnomaliesResponse } } },
    async (request) => {
      const q = request.query;
      const since = new Date((app.deps.clock ?? systemClock).now().getTime() - q.hours * 3_600_000);
      const anomalies = await app.liveAnomalies.list(app.reads.db, { deviceId: q.device_id, since, limit: q.limit });
      return {
        success: true as const,
        count: anomalies.length,
        devices_watched: app.liveAnomalies.deviceCount,
        since: since.toISOString(),
        anomalies,
      };
    },
  );

  app.put(
    "/alerts/:id/resolve",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: AlertParams, response: { 200: ResolveAlertResponse } },
    },
    async (request) => {
      const r = await resolveAlert(requestContext(request), request.params.id);
      return {
        success: true as const,
        message: r.already ? "Alert was already resolved" : "Alert resolved",
        data: presentAlert(r.alert),
      };
    },
  );

  app.get(
    "/error-patterns",
    { ...guard, schema: { tags, querystring: ErrorPatternsQuery, response: { 200: ErrorPatternsResponse } } },
    async (request) => {
      const q = request.query;
      const r = await findErrorPatterns(requestContext(request), {
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
  );

  app.get(
    "/health-forecast",
    { ...guard, schema: { tags, querystring: ForecastQuery, response: { 200: HealthForecastResponse } } },
    async (request) => {
      const q = request.query;
      const r = await shared(request, () =>
        app.insights.run("forecast", requestContext(request), {
          siteId: q.site_id,
          horizonHours: q.horizon_hours,
          hours: q.hours,
          limit: q.limit,
        }),
      );
      return { success: true as const, count: r.devices.length, ...r };
    },
  );

  app.get("/status", { ...guard, schema: { tags, response: { 200: InsightsStatusResponse } } }, async (request) => ({
    success: true as const,
    data: await getInsightsStatus(requestContext(request)),
  }));
};
