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
import { presentDevice } from "@homepot/core/devices/present";
import { createSite } from "@homepot/core/sites/create-site";
import { getSite } from "@homepot/core/sites/get-site";
import { listSites } from "@homepot/core/sites/list-sites";
import { presentSite } from "@homepot/core/sites/present";
import { countActiveDevicesOfSite } from "@homepot/core/sites/site.repository";
import { updateSite } from "@homepot/core/sites/update-site";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["sites"];

export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/",
    {
      onRequest: app.authorize("inventory"),
      schema: { tags, querystring: ListSitesQuery, response: { 200: SiteList } },
    },
    async (request) => {
      const result = await listSites(requestContext(request), toInput(request.query));
      const list = result.sites.map((s) => presentSite(s.site, s.deviceCount, s.osMix));
      return { success: true as const, count: list.length, total: result.total, sites: list };
    },
  );

  app.post(
    "/",
    {
      onRequest: app.authorize("operator"),
      // The new site_id names no site yet: createSite authorises the tenant it goes to.
      config: { ownTargets: true },
      schema: { tags, body: CreateSiteBody, response: { 201: SiteResult } },
    },
    async (request, reply) => {
      const site = await createSite(requestContext(request), toInput(request.body));
      return reply
        .code(201)
        .send({ success: true as const, message: `Site ${site.siteId} created`, data: presentSite(site, 0) });
    },
  );

  app.get(
    "/:site_id",
    { onRequest: app.authorize("inventory"), schema: { tags, params: SiteParams, response: { 200: SiteGetResult } } },
    async (request) => {
      const ctx = requestContext(request);
      const site = await getSite(ctx, request.params.site_id);
      return { success: true as const, data: presentSite(site, await countActiveDevicesOfSite(ctx.db, site.siteId)) };
    },
  );

  app.put(
    "/:site_id",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: SiteParams, body: UpdateSiteBody, response: { 200: SiteResult } },
    },
    async (request) => {
      const site = await updateSite(requestContext(request), request.params.site_id, toInput(request.body));
      return { success: true as const, message: `Site ${site.siteId} updated`, data: presentSite(site) };
    },
  );

  app.get(
    "/:site_id/devices",
    {
      onRequest: app.authorize("inventory"),
      schema: {
        tags,
        params: SiteParams,
        querystring: ListDevicesQuery.omit({ site_id: true }),
        response: { 200: DeviceList },
      },
    },
    async (request) => {
      const ctx = requestContext(request);
      const site = await getSite(ctx, request.params.site_id);
      const result = await listDevices(ctx, { ...toInput(request.query), siteId: site.siteId });
      const list = result.devices.map((d) => presentDevice(d.device, d.siteName));
      return { success: true as const, count: list.length, total: result.total, devices: list };
    },
  );
};
