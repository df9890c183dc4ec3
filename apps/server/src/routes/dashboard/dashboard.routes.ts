import { FleetSummaryQuery, FleetSummaryResult } from "@homepot/contracts/dashboard";
import { getFleetSummary } from "@homepot/core/dashboard/get-fleet-summary";
import { featureRoutes, route } from "../route.ts";

/** `/api/v1/dashboard/summary`: the fleet counted on the server, so the Overview never counts in the browser. */
export const dashboardRoutes = featureRoutes(["dashboard"], (app) => [
  route.get(
    "/summary",
    { auth: "viewer", query: FleetSummaryQuery, response: FleetSummaryResult },
    async ({ ctx, query }) => {
      const s = await getFleetSummary(ctx, {
        hours: query.hours,
        series: query.series,
        sitesLimit: query.sites_limit,
        offlineAfterS: app.deps.config.offlineAfterS,
      });
      const c = s.counts;
      return {
        success: true as const,
        total_devices: s.totalDevices,
        lifecycle_counts: c.lifecycle,
        connectivity_counts: c.connectivity,
        // The four health states, plus the original's names: critical = error, unknown = never reported.
        health_counts: { ...c.health, critical: c.health.error },
        status_counts: s.statusCounts,
        source_counts: c.source,
        last_heartbeat_at: c.lastHeartbeatAt?.toISOString() ?? null,
        pending_enrolment_intents: s.pendingEnrolmentIntents,
        pending_commands: s.pendingCommands,
        expired_commands: s.expiredCommands,
        sites_total: s.sitesTotal,
        sites: s.sites.map((x) => ({
          site_id: x.siteId,
          name: x.name,
          devices: x.devices,
          online: x.online,
          error: x.error,
          offline: x.offline,
          status: x.status,
          lifecycle_counts: x.counts.lifecycle,
          health_counts: x.counts.health,
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
  ),
]);
