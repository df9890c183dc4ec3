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
import type { z } from "zod";
import { listOf } from "../list-of.ts";
import { ok } from "../replies.ts";
import { featureRoutes, type Route, route } from "../route.ts";

/** A chart's aggregates, counted. */
const summaries = <T extends { summaries: unknown[] }>(result: T) => ({
  success: true as const,
  count: result.summaries.length,
  ...result,
});

/**
 * One admin list route: its URLs (the first is ours, the rest SPEC §6 aliases), the answer's plural key, and the
 * use case. Platform-wide tables (requests, user activity, audit) are platform admins'; the rest tenants' admins and
 * operators'. The response schema's rows must be what the use case presents, so a renamed field fails to compile.
 */
function listRoute<Q extends z.ZodType, K extends string, T>(
  urls: string[],
  key: K,
  summary: string,
  query: Q,
  response: z.ZodType<ReturnType<typeof listOf<K, T>>>,
  list: (ctx: Context, query: z.output<Q>) => Promise<Page<T>>,
  need: "analyze" | "platform" = "analyze",
): Route[] {
  return urls.map((url) =>
    route.get(url, { auth: need, summary, query, response }, async ({ ctx, query }) =>
      listOf(key, await list(ctx, query)),
    ),
  );
}

const LIST_ROUTES: Route[] = [
  ...listRoute(
    ["/requests", "/api-requests"],
    "requests",
    "API request logs, newest first",
    c.ApiRequestsQuery,
    c.ApiRequestsResponse,
    listApiRequests,
    "platform",
  ),
  ...listRoute(
    ["/device-states"],
    "history",
    "Device state changes",
    c.DeviceStatesQuery,
    c.DeviceStatesResponse,
    listDeviceStates,
  ),
  ...listRoute(["/jobs"], "outcomes", "Job outcomes", c.JobOutcomesQuery, c.JobOutcomesResponse, listJobOutcomes),
  ...listRoute(["/errors"], "errors", "Error logs", c.ErrorLogsQuery, c.ErrorLogsResponse, listErrorLogs),
  ...listRoute(
    ["/user-activities"],
    "activities",
    "Dashboard user activities",
    c.UserActivitiesQuery,
    c.UserActivitiesResponse,
    listUserActivities,
    "platform",
  ),
  ...listRoute(
    ["/device-metrics"],
    "metrics",
    "Device metrics samples",
    c.DeviceMetricsQuery,
    c.DeviceMetricsResponse,
    listDeviceMetrics,
  ),
  ...listRoute(
    ["/config-history"],
    "history",
    "Configuration changes",
    c.ConfigHistoryQuery,
    c.ConfigHistoryResponse,
    listConfigHistory,
  ),
  ...listRoute(
    ["/site-schedules"],
    "schedules",
    "Site operating schedules",
    c.SiteSchedulesQuery,
    c.SiteSchedulesResponse,
    listSiteSchedules,
  ),
  ...listRoute(
    ["/audit-logs"],
    "audit_logs",
    "Audit log",
    c.AuditLogsQuery,
    c.AuditLogsResponse,
    listAuditLogs,
    "platform",
  ),
  ...listRoute(
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
export const analyticsQueryRoutes = featureRoutes(["analytics"], () => [
  ...LIST_ROUTES,

  // Aggregates for the dashboard's charts, read from the rollup tables the background task maintains.
  // Fleet telemetry charts are shown to every signed-in user; API usage stays admin-only.
  route.get(
    "/device-metrics/summary",
    {
      auth: "viewer",
      summary: "Hourly/daily device metric aggregates (avg/min/max/p95)",
      query: c.DeviceMetricsSummaryQuery,
      response: c.DeviceMetricsSummaryResponse,
    },
    async ({ ctx, query }) => summaries(await summarizeDeviceMetrics(ctx, query)),
  ),
  route.get(
    "/requests/summary",
    {
      auth: "platform",
      summary: "Hourly/daily API request count, error rate and latency",
      query: c.ApiRequestsSummaryQuery,
      response: c.ApiRequestsSummaryResponse,
    },
    async ({ ctx, query }) => summaries(await summarizeApiRequests(ctx, query)),
  ),

  // The data-collection validation report (the same use case as `homepot validate`).
  route.get(
    "/validation",
    {
      auth: "platform",
      summary: "Data-collection validation: schema, rows, NULLs, freshness, ranges, references, AI readiness",
      query: c.ValidationQuery,
      response: c.ValidationResponse,
    },
    async ({ ctx, query: { tables } }) => ok(await validateData(ctx, tables?.length ? { tables } : {})),
  ),
]);
