import { DeviceList, ListDevicesQuery } from "@homepot/contracts/devices";
import { toInput } from "@homepot/contracts/input";
import {
  CreateSiteBody,
  ListSitesQuery,
  SiteGetResult,
  SiteList,
  SiteParams,
  SiteResult,
  UpdateSiteBody,
} from "@homepot/contracts/sites";
import { listDevices } from "@homepot/core/devices/list-devices";
import { createSite } from "@homepot/core/sites/create-site";
import { getSite } from "@homepot/core/sites/get-site";
import { listSites } from "@homepot/core/sites/list-sites";
import { presentSite } from "@homepot/core/sites/present";
import { countActiveDevicesOfSite } from "@homepot/core/sites/site.repository";
import { updateSite } from "@homepot/core/sites/update-site";
import { deviceList } from "../devices/device-replies.ts";
import { ok, okList, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

export const siteRoutes = featureRoutes(["sites"], () => [
  route.get("/", { auth: "inventory", query: ListSitesQuery, response: SiteList }, async ({ ctx, query }) => {
    const result = await listSites(ctx, toInput(query));
    const list = result.sites.map((s) => presentSite(s.site, s.deviceCount, s.osMix));
    return okList("sites", list, { total: result.total });
  }),

  route.post(
    "/",
    {
      auth: "operator",
      // The new site_id names no site yet: createSite authorises the tenant it goes to.
      config: { ownTargets: true },
      body: CreateSiteBody,
      response: SiteResult,
      status: 201,
    },
    async ({ ctx, body }) => {
      const site = await createSite(ctx, toInput(body));
      return okWrite(`Site ${site.siteId} created`, presentSite(site, 0));
    },
  ),

  route.get(
    "/:site_id",
    { auth: "inventory", params: SiteParams, response: SiteGetResult },
    async ({ ctx, params }) => {
      const site = await getSite(ctx, params.site_id);
      return ok(presentSite(site, await countActiveDevicesOfSite(ctx.db, site.siteId)));
    },
  ),

  route.put(
    "/:site_id",
    { auth: "operator", params: SiteParams, body: UpdateSiteBody, response: SiteResult },
    async ({ ctx, params, body }) => {
      const site = await updateSite(ctx, params.site_id, toInput(body));
      return okWrite(`Site ${site.siteId} updated`, presentSite(site));
    },
  ),

  route.get(
    "/:site_id/devices",
    { auth: "inventory", params: SiteParams, query: ListDevicesQuery.omit({ site_id: true }), response: DeviceList },
    async ({ ctx, params, query }) => {
      const site = await getSite(ctx, params.site_id);
      return deviceList(await listDevices(ctx, { ...toInput(query), siteId: site.siteId }));
    },
  ),
]);
