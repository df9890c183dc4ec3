import { FleetSummaryQuery, FleetSummaryResult } from "@homepot/contracts/dashboard";
import { getFleetSummary } from "@homepot/core/dashboard/get-fleet-summary";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["dashboard"];

/** `/api/v1/dashboard/summary`: the fleet counted on the server, so the Overview never counts in the browser. */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/summary",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags, querystring: FleetSummaryQuery, response: { 200: FleetSummaryResult } },
    },
    async (request) => {
      const s = await getFleetSummary(requestContext(request), {
        hours: request.query.hours,
        offlineAfterS: app.deps.config.offlineAfterS,
      });
      const status = (k: string) => s.statusCounts[k] ?? 0;
      return {
        success: true as const,
        total_devices: s.totalDevices,
        lifecycle_counts: s.lifecycleCounts,
        connectivity_counts: s.connectivityCounts,
        health_counts: {
          healthy: status("online"),
          critical: status("error"),
          maintenance: status("maintenance"),
          unknown: status("offline"),
        },
        status_counts: s.statusCounts,
        pending_enrolment_intents: 0,
        pending_commands: s.pendingCommands,
        expired_commands: s.expiredCommands,
        sites: s.sites.map((x) => ({
          site_id: x.siteId,
          name: x.name,
          devices: x.devices,
          online: x.online,
          error: x.error,
          offline: x.offline,
        })),
        window: { start: s.window.start.toISOString(), end: s.window.end.toISOString(), bucket: s.window.bucket },
        series: s.series.map((p) => ({
          timestamp: p.start.toISOString(),
          devices_reporting: p.devicesReporting,
          devices_unhealthy: p.devicesUnhealthy,
          errors: p.errors,
          transactions: p.transactions,
        })),
      };
    },
  );
};
