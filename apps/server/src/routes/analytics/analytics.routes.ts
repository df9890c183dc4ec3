import * as c from "@homepot/contracts/analytics";
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
import { requestContext } from "../../plugins/context.ts";

/** `{success, count, <key>: [...], total?, next_cursor}` */
function listOf<K extends string, T>(key: K, page: Page<T>) {
  return {
    success: true as const,
    count: page.items.length,
    ...(page.total === undefined ? {} : { total: page.total }),
    next_cursor: page.next_cursor,
    ...({ [key]: page.items } as { [P in K]: T[] }),
  };
}

/** The analytics query API (admin): every analytics and AI table plus audit logs and health checks. */
export const analyticsQueryRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = app.authorize("admin");
  const tags = ["analytics"];

  for (const url of ["/requests", "/api-requests"]) {
    app.get(
      url,
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "API request logs, newest first",
          querystring: c.ApiRequestsQuery,
          response: { 200: c.ApiRequestsResponse },
        },
      },
      async (request) => listOf("requests", await listApiRequests(requestContext(request), request.query)),
    );
  }
  app.get(
    "/device-states",
    {
      onRequest: admin,
      schema: {
        tags,
        summary: "Device state changes",
        querystring: c.DeviceStatesQuery,
        response: { 200: c.DeviceStatesResponse },
      },
    },
    async (request) => listOf("history", await listDeviceStates(requestContext(request), request.query)),
  );
  app.get(
    "/jobs",
    {
      onRequest: admin,
      schema: {
        tags,
        summary: "Job outcomes",
        querystring: c.JobOutcomesQuery,
        response: { 200: c.JobOutcomesResponse },
      },
    },
    async (request) => listOf("outcomes", await listJobOutcomes(requestContext(request), request.query)),
  );
  app.get(
    "/errors",
    {
      onRequest: admin,
      schema: { tags, summary: "Error logs", querystring: c.ErrorLogsQuery, response: { 200: c.ErrorLogsResponse } },
    },
    async (request) => listOf("errors", await listErrorLogs(requestContext(request), request.query)),
  );
  app.get(
    "/user-activities",
    {
      onRequest: admin,
      schema: {
        tags,
        summary: "Dashboard user activities",
        querystring: c.UserActivitiesQuery,
        response: { 200: c.UserActivitiesResponse },
      },
    },
    async (request) => listOf("activities", await listUserActivities(requestContext(request), request.query)),
  );
  app.get(
    "/device-metrics",
    {
      onRequest: admin,
      schema: {
        tags,
        summary: "Device metrics samples",
        querystring: c.DeviceMetricsQuery,
        response: { 200: c.DeviceMetricsResponse },
      },
    },
    async (request) => listOf("metrics", await listDeviceMetrics(requestContext(request), request.query)),
  );
  app.get(
    "/config-history",
    {
      onRequest: admin,
      schema: {
        tags,
        summary: "Configuration changes",
        querystring: c.ConfigHistoryQuery,
        response: { 200: c.ConfigHistoryResponse },
      },
    },
    async (request) => listOf("history", await listConfigHistory(requestContext(request), request.query)),
  );
  app.get(
    "/site-schedules",
    {
      onRequest: admin,
      schema: {
        tags,
        summary: "Site operating schedules",
        querystring: c.SiteSchedulesQuery,
        response: { 200: c.SiteSchedulesResponse },
      },
    },
    async (request) => listOf("schedules", await listSiteSchedules(requestContext(request), request.query)),
  );
  app.get(
    "/audit-logs",
    {
      onRequest: admin,
      schema: { tags, summary: "Audit log", querystring: c.AuditLogsQuery, response: { 200: c.AuditLogsResponse } },
    },
    async (request) => listOf("audit_logs", await listAuditLogs(requestContext(request), request.query)),
  );
  app.get(
    "/health-checks",
    {
      onRequest: admin,
      schema: {
        tags,
        summary: "Device health checks",
        querystring: c.HealthChecksQuery,
        response: { 200: c.HealthChecksResponse },
      },
    },
    async (request) => listOf("health_checks", await listHealthChecks(requestContext(request), request.query)),
  );

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
