import { MessageResult } from "@homepot/contracts";
import { LifecycleTransitionBody } from "@homepot/contracts/lifecycle";
import { DeleteSiteQuery, ResumeSiteDevicesResult, SiteParams, SiteStatsResult } from "@homepot/contracts/sites";
import { archiveSite } from "@homepot/core/lifecycle/archive-site";
import { getSiteStats } from "@homepot/core/lifecycle/get-site-stats";
import { purgeSite } from "@homepot/core/lifecycle/purge-site";
import { restoreSite } from "@homepot/core/lifecycle/restore-site";
import { resumeSiteDevices } from "@homepot/core/lifecycle/resume-site-devices";
import { okMessage } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

const site = { params: SiteParams } as const;

/** A site's lifecycle: archive (default delete) or purge, restore, resume all its devices, and its device stats. */
export const siteLifecycleRoutes = featureRoutes(["sites"], (app) => [
  route.delete(
    "/:site_id",
    { ...site, auth: "operator", query: DeleteSiteQuery, response: MessageResult },
    async ({ ctx, params, query: { mode, confirm, reason } }) => {
      if (mode === "purge") {
        const r = await purgeSite(ctx, params.site_id, confirm);
        app.deviceKeys.clear();
        return okMessage(`Site ${r.siteId} and all associated data purged (${r.devices} device(s))`);
      }
      const r = await archiveSite(ctx, params.site_id, reason);
      app.deviceKeys.clear();
      return okMessage(
        r.already
          ? `Site ${r.siteId} is already archived`
          : `Site ${r.siteId} archived (data retained; ${r.suspended} device(s) suspended; POST /sites/${r.siteId}/restore brings it back)`,
      );
    },
  ),

  route.post("/:site_id/restore", { ...site, auth: "operator", response: MessageResult }, async ({ ctx, params }) => {
    const r = await restoreSite(ctx, params.site_id);
    return okMessage(
      r.already
        ? `Site ${r.siteId} is already active (nothing to restore)`
        : `Site ${r.siteId} restored; its devices stay suspended until resumed`,
    );
  }),

  route.post(
    "/:site_id/devices/resume",
    { ...site, auth: "operator", body: LifecycleTransitionBody, response: ResumeSiteDevicesResult },
    async ({ ctx, params, body }) => {
      const r = await resumeSiteDevices(ctx, params.site_id, { reason: body.reason });
      app.deviceKeys.clear();
      return {
        success: true as const,
        message: `${r.resumed.length} device(s) of site ${r.siteId} resumed`,
        site_id: r.siteId,
        resumed: r.resumed,
      };
    },
  ),

  route.get("/:site_id/stats", { ...site, auth: "viewer", response: SiteStatsResult }, async ({ ctx, params }) => {
    const { site, counts: c, status } = await getSiteStats(ctx, params.site_id);
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
  }),
]);
