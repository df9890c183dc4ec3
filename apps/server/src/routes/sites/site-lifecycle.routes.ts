import { MessageResult } from "@homepot/contracts";
import { LifecycleTransitionBody } from "@homepot/contracts/lifecycle";
import { DeleteSiteQuery, ResumeSiteDevicesResult, SiteParams, SiteStatsResult } from "@homepot/contracts/sites";
import { archiveSite } from "@homepot/core/lifecycle/archive-site";
import { getSiteStats } from "@homepot/core/lifecycle/get-site-stats";
import { purgeSite } from "@homepot/core/lifecycle/purge-site";
import { restoreSite } from "@homepot/core/lifecycle/restore-site";
import { resumeSiteDevices } from "@homepot/core/lifecycle/resume-site-devices";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["sites"];

/** A site's lifecycle: archive (default delete) or purge, restore, resume all its devices, and its device stats. */
export const siteLifecycleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.delete(
    "/:site_id",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: SiteParams, querystring: DeleteSiteQuery, response: { 200: MessageResult } },
    },
    async (request) => {
      const ctx = requestContext(request);
      const { mode, confirm, reason } = request.query;
      if (mode === "purge") {
        const r = await purgeSite(ctx, request.params.site_id, confirm);
        app.deviceKeys.clear();
        return {
          success: true as const,
          message: `Site ${r.siteId} and all associated data purged (${r.devices} device(s))`,
        };
      }
      const r = await archiveSite(ctx, request.params.site_id, reason);
      app.deviceKeys.clear();
      return {
        success: true as const,
        message: r.already
          ? `Site ${r.siteId} is already archived`
          : `Site ${r.siteId} archived (data retained; ${r.suspended} device(s) suspended; POST /sites/${r.siteId}/restore brings it back)`,
      };
    },
  );

  app.post(
    "/:site_id/restore",
    { onRequest: app.authorize("operator"), schema: { tags, params: SiteParams, response: { 200: MessageResult } } },
    async (request) => {
      const r = await restoreSite(requestContext(request), request.params.site_id);
      return {
        success: true as const,
        message: r.already
          ? `Site ${r.siteId} is already active (nothing to restore)`
          : `Site ${r.siteId} restored; its devices stay suspended until resumed`,
      };
    },
  );

  app.post(
    "/:site_id/devices/resume",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: SiteParams, body: LifecycleTransitionBody, response: { 200: ResumeSiteDevicesResult } },
    },
    async (request) => {
      const r = await resumeSiteDevices(requestContext(request), request.params.site_id, {
        reason: request.body.reason,
      });
      app.deviceKeys.clear();
      return {
        success: true as const,
        message: `${r.resumed.length} device(s) of site ${r.siteId} resumed`,
        site_id: r.siteId,
        resumed: r.resumed,
      };
    },
  );

  app.get(
    "/:site_id/stats",
    { onRequest: app.authorize("viewer"), schema: { tags, params: SiteParams, response: { 200: SiteStatsResult } } },
    async (request) => {
      const { site, counts: c, status } = await getSiteStats(requestContext(request), request.params.site_id);
      const pre = (c.enrolment.manual ?? 0) + (c.enrolment.claim ?? 0);
      const self = c.enrolment.bootstrap ?? 0;
      return {
        site_id: site.siteId,
        total_devices: c.total,
        breakdown: { pre_provisioned: pre, self_enrolled: self, other: c.total - pre - self },
        status,
        lifecycle_state: site.lifecycleState,
        lifecycle_counts: c.lifecycle,
        connectivity_counts: c.connectivity,
        health_counts: c.health,
        source_counts: c.source,
        last_heartbeat_at: c.lastHeartbeatAt?.toISOString() ?? null,
      };
    },
  );
};
