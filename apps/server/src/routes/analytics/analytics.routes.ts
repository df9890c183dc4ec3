import * as c from "@homepot/contracts/analytics";
import type { Context } from "@homepot/core";
import { listApiRequests } from "@homepot/core/analytics/list-api-requests";
import { listAuditLogs } from "@homepot/core/analytics/list-audit-logs";
import { listConfigHistory } from "@homepot/core/analytics/list-config-history";
import { listDeviceMetrics } from "@homepot/core/analytics/list-device-metrics";
import { listDeviceStates } from "@homepot/core/analytics/list-device-states";
import { listErrorLogs } from "@homepot/core/analytics/list-error-logs";
import { listHealthChecks } from "@homepot/core/analytics/list-health-checks";
import { listJobOutcomes } from "@homepot/core/analytics/list-job-outcomes";
import { listSiteSchedules } from "@homepot/core/analytics/list-site-schedules";
import { listUserActivities } from "@homepot/core/analytics/list-user-activities";
import type { Page } from "@homepot/core/analytics/page";
import { summarizeApiRequests } from "@homepot/core/analytics/summarize-api-requests";
import { summarizeDeviceMetrics } from "@homepot/core/analytics/summarize-device-metrics";
import { validateData } from "@homepot/core/analytics/validate-data";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
import { requestContext } from "../../plugins/context.ts";
import { listOf } from "../list-of.ts";

interface ListRoute {
  urls: string[];
  /** Platform-wide tables (requests, user activity, audit) are platform admins'; the rest tenants' admins and operators'. */
  need: "analyze" | "platform";
  summary: string;
  querystring: z.ZodType;
  response: z.ZodType;
  list(ctx: Context, query: unknown): Promise<unknown>;
}

/**
 * One admin list route: its URLs (the first is ours, the rest SPEC §6 aliases), the answer's plural key, and the
 * use case. The response schema's rows must be what the use case presents, so a renamed field fails to compile.
 */
function listRoute<Q extends z.ZodType, K extends string, T>(
  urls: string[],
  key: K,
  summary: string,
  querystring: Q,
  response: z.ZodType<{ [P in K]: T[] }>,
  list: (ctx: Context, query: z.output<Q>) => Promise<Page<T>>,
  need: ListRoute["need"] = "analyze",
): ListRoute {
  return {
    urls,
    need,
    summary,
    querystring,
    response,
    list: async (ctx, query) => listOf(key, await list(ctx, query as z.output<Q>)),
  };
}

const LIST_ROUTES: ListRoute[] = [
  listRoute(
    ["/requests", "/api-requests"],
    "requests",
    "API request logs, newest first",
    c.ApiRequestsQuery,
    c.ApiRequestsResponse,
    listApiRequests,
    "platform",
  ),
  listRoute(
    ["/device-states"],
    "history",
    "Device state changes",
    c.DeviceStatesQuery,
    c.DeviceStatesResponse,
    listDeviceStates,
  ),
  listRoute(["/jobs"], "outcomes", "Job outcomes", c.JobOutcomesQuery, c.JobOutcomesResponse, listJobOutcomes),
  listRoute(["/errors"], "errors", "Error logs", c.ErrorLogsQuery, c.ErrorLogsResponse, listErrorLogs),
  listRoute(
    ["/user-activities"],
    "activities",
    "Dashboard user activities",
    c.UserActivitiesQuery,
    c.UserActivitiesResponse,
    listUserActivities,
    "platform",
  ),
  listRoute(
    ["/device-metrics"],
    "metrics",
    "Device metrics samples",
    c.DeviceMetricsQuery,
    c.DeviceMetricsResponse,
    listDeviceMetrics,
  ),
  listRoute(
    ["/config-history"],
    "history",
    "Configuration changes",
    c.ConfigHistoryQuery,
    c.ConfigHistoryResponse,
    listConfigHistory,
  ),
  listRoute(
    ["/site-schedules"],
    "schedules",
    "Site operating schedules",
    c.SiteSchedulesQuery,
    c.SiteSchedulesResponse,
    listSiteSchedules,
  ),
  listRoute(
    ["/audit-logs"],
    "audit_logs",
    "Audit log",
    c.AuditLogsQuery,
    c.AuditLogsResponse,
    listAuditLogs,
    "platform",
  ),
  listRoute(
    ["/health-checks"],
    "health_checks",
    "Device health checks",
    c.HealthChecksQuery,
    c.HealthChecksResponse,
    listHealthChecks,
  ),
];

/**
 * The analytics query API: every analytics and AI table plus audit logs and health checks, for a tenant's admins and
 * operators (their sites' rows); platform-wide tables and the validation report for platform admins.
 */
export const analyticsQueryRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = app.authorize("platform");
  const tags = ["analytics"];

  for (const route of LIST_ROUTES) {
    for (const url of route.urls) {
      app.get(
        url,
        {
          onRequest: app.authorize(route.need),
          schema: { tags, summary: route.summary, querystring: route.querystring, response: { 200: route.response } },
        },
        async (request) => route.list(requestContext(request), request.query),
      );
    }
  }

  // Aggregates for the dashboard's charts, read from the rollup tables the background task maintains.
  // Fleet telemetry charts are shown to every signed-in user; API usage stays admin-only.
  app.get(
    "/device-metrics/summary",
    {
      onRequest: app.authorize("viewer"),
      schema: {
        tags,
        summary: "Hourly/daily device metric aggregates (avg/min/max/p95)",
        querystring: c.DeviceMetricsSummaryQuery,
        response: { 200: c.DeviceMetricsSummaryResponse },
      },
    },
    async (request) => {
      const result = await summarizeDeviceMetrics(requestContext(request), request.query);
      return { success: true as const, count: result.summaries.length, ...result };
    },
  );
  app.get(
    "/requests/summary",
    {
      onRequest: admin,
      schema: {
        tags,
        summary: "Hourly/daily API request count, error rate and latency",
        querystring: c.ApiRequestsSummaryQuery,
        response: { 200: c.ApiRequestsSummaryResponse },
      },
    },
    async (request) => {
      const result = await summarizeApiRequests(requestContext(request), request.query);
      return { success: true as const, count: result.summaries.length, ...result };
    },
  );

  // The data-collection validation report (the same use case as `homepot validate`).
  app.get(
    "/validation",
    {
      onRequest: admin,
      schema: {
        tags,
        summary: "Data-collection validation: schema, rows, NULLs, freshness, ranges, references, AI readiness",
        querystring: c.ValidationQuery,
        response: { 200: c.ValidationResponse },
      },
    },
    async (request) => {
      const wanted = request.query.tables;
      const data = await validateData(requestContext(request), wanted?.length ? { tables: wanted } : {});
      return { success: true as const, data };
    },
  );
};
