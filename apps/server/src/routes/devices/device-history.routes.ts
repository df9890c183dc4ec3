import * as c from "@homepot/contracts/analytics";
import { DeviceParams } from "@homepot/contracts/devices";
import { listConfigHistory } from "@homepot/core/analytics/list-config-history";
import { listDeviceMetrics } from "@homepot/core/analytics/list-device-metrics";
import { listDeviceStates } from "@homepot/core/analytics/list-device-states";
import { listHealthChecks } from "@homepot/core/analytics/list-health-checks";
import type { Page } from "@homepot/core/analytics/page";
import type { Context } from "@homepot/core/context";
import { getDevice } from "@homepot/core/devices/get-device";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";
import { listOf } from "../list-of.ts";

const tags = ["devices"];

/** One device's rows; whoever may see the device may read them, so an unknown or deleted device is a 404. */
async function deviceList<K extends string, T>(ctx: Context, deviceId: string, key: K, list: () => Promise<Page<T>>) {
  await getDevice(ctx, deviceId);
  return listOf(key, await list());
}

/**
 * One device's metrics, health checks, state changes and configuration changes (viewer and up): the device page
 * reads these, while the fleet-wide `/analytics/*` tables stay admin-only. Same use cases, same shapes.
 */
export const deviceHistoryRoutes: FastifyPluginAsyncZod = async (app) => {
  const viewer = app.authorize("viewer");

  app.get(
    "/:device_id/metrics",
    {
      onRequest: viewer,
      schema: {
        tags,
        summary: "The device's metric samples, newest first",
        params: DeviceParams,
        querystring: c.DeviceMetricsForDeviceQuery,
        response: { 200: c.DeviceMetricsResponse },
      },
    },
    async (request) => {
      const ctx = requestContext(request);
      const device_id = request.params.device_id;
      return deviceList(ctx, device_id, "metrics", () => listDeviceMetrics(ctx, { ...request.query, device_id }));
    },
  );

  app.get(
    "/:device_id/health-checks",
    {
      onRequest: viewer,
      schema: {
        tags,
        summary: "The device's health checks, newest first",
        params: DeviceParams,
        querystring: c.HealthChecksForDeviceQuery,
        response: { 200: c.HealthChecksResponse },
      },
    },
    async (request) => {
      const ctx = requestContext(request);
      const device_id = request.params.device_id;
      return deviceList(ctx, device_id, "health_checks", () => listHealthChecks(ctx, { ...request.query, device_id }));
    },
  );

  app.get(
    "/:device_id/state-history",
    {
      onRequest: viewer,
      schema: {
        tags,
        summary: "The device's status changes, newest first",
        params: DeviceParams,
        querystring: c.DeviceStatesForDeviceQuery,
        response: { 200: c.DeviceStatesResponse },
      },
    },
    async (request) => {
      const ctx = requestContext(request);
      const device_id = request.params.device_id;
      return deviceList(ctx, device_id, "history", () => listDeviceStates(ctx, { ...request.query, device_id }));
    },
  );

  app.get(
    "/:device_id/config-history",
    {
      onRequest: viewer,
      schema: {
        tags,
        summary: "The device's configuration changes, newest first",
        params: DeviceParams,
        querystring: c.ConfigHistoryForDeviceQuery,
        response: { 200: c.ConfigHistoryResponse },
      },
    },
    async (request) => {
      const ctx = requestContext(request);
      const device_id = request.params.device_id;
      return deviceList(ctx, device_id, "history", () => listConfigHistory(ctx, { ...request.query, device_id }));
    },
  );
};
