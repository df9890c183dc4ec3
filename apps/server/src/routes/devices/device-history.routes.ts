import * as c from "@homepot/contracts/analytics";
import { DeviceParams } from "@homepot/contracts/devices";
import type { Context } from "@homepot/core";
import { listConfigHistory } from "@homepot/core/analytics/list-config-history";
import { listDeviceMetrics } from "@homepot/core/analytics/list-device-metrics";
import { listDeviceStates } from "@homepot/core/analytics/list-device-states";
import { listHealthChecks } from "@homepot/core/analytics/list-health-checks";
import type { Page } from "@homepot/core/analytics/page";
import { getDevice } from "@homepot/core/devices/get-device";
import type { z } from "zod";
import { listOf } from "../list-of.ts";
import { featureRoutes, type Route, route } from "../route.ts";

/**
 * `GET /{device_id}/<what>`: one device's rows of a fleet-wide table, for whoever may see the device (so an unknown
 * or deleted device is a 404). The response's rows must be what the use case presents.
 */
function deviceRows<Q extends z.ZodType<object>, K extends string, T>(
  what: string,
  summary: string,
  query: Q,
  response: z.ZodType<ReturnType<typeof listOf<K, T>>>,
  key: K,
  list: (ctx: Context, query: z.output<Q> & { device_id: string }) => Promise<Page<T>>,
): Route {
  return route.get(
    `/:device_id/${what}`,
    { auth: "viewer", summary, params: DeviceParams, query, response },
    async ({ ctx, params: { device_id }, query }) => {
      await getDevice(ctx, device_id);
      return listOf(key, await list(ctx, { ...query, device_id }));
    },
  );
}

/**
 * One device's metrics, health checks, state changes and configuration changes (viewer and up): the device page
 * reads these, while the fleet-wide `/analytics/*` tables stay admin-only. Same use cases, same shapes.
 */
export const deviceHistoryRoutes = featureRoutes(["devices"], () => [
  deviceRows(
    "metrics",
    "The device's metric samples, newest first",
    c.DeviceMetricsForDeviceQuery,
    c.DeviceMetricsResponse,
    "metrics",
    listDeviceMetrics,
  ),
  deviceRows(
    "health-checks",
    "The device's health checks, newest first",
    c.HealthChecksForDeviceQuery,
    c.HealthChecksResponse,
    "health_checks",
    listHealthChecks,
  ),
  deviceRows(
    "state-history",
    "The device's status changes, newest first",
    c.DeviceStatesForDeviceQuery,
    c.DeviceStatesResponse,
    "history",
    listDeviceStates,
  ),
  deviceRows(
    "config-history",
    "The device's configuration changes, newest first",
    c.ConfigHistoryForDeviceQuery,
    c.ConfigHistoryResponse,
    "history",
    listConfigHistory,
  ),
]);
