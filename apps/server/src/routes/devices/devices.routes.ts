import { MessageResult } from "@homepot/contracts";
import {
  BulkDeviceActionBody,
  BulkDeviceActionResult,
  DeviceGetResult,
  DeviceList,
  DeviceParams,
  DeviceSegmentList,
  DeviceTagList,
  DeviceWriteResult,
  ListDevicesQuery,
  RegisterDeviceBody,
  RegisterDeviceResult,
  RotateKeyResult,
  SiteDeviceParams,
  UpdateDeviceBody,
} from "@homepot/contracts/devices";
import { toInput } from "@homepot/contracts/input";
import { DeleteDeviceQuery } from "@homepot/contracts/lifecycle";
import { deleteDevice } from "@homepot/core/devices/delete-device";
import { getDevice } from "@homepot/core/devices/get-device";
import { listDeviceSegments, listDeviceTags } from "@homepot/core/devices/list-device-tags";
import { type ListDevicesInput, listDevices } from "@homepot/core/devices/list-devices";
import { presentDevice } from "@homepot/core/devices/present";
import { registerDevice } from "@homepot/core/devices/register-device";
import { revokeDeviceKey } from "@homepot/core/devices/revoke-device-key";
import { rotateDeviceKey } from "@homepot/core/devices/rotate-device-key";
import { updateDevice } from "@homepot/core/devices/update-device";
import { updateDevices } from "@homepot/core/devices/update-devices";
import { purgeDevice } from "@homepot/core/lifecycle/purge-device";
import type { z } from "zod";
import { perUserRateLimit } from "../../plugins/auth.ts";
import { ok, okList, okMessage, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";
import { deviceList, deviceRegistered } from "./device-replies.ts";

const one = { params: DeviceParams } as const;

export function listInput({ tag, ...q }: z.infer<typeof ListDevicesQuery>): ListDevicesInput {
  return { ...toInput(q), tags: tag };
}

/** Device management (users) under /api/v1/devices; device-facing calls live in their own files. */
export const deviceRoutes = featureRoutes(["devices"], (app) => [
  route.post(
    "/sites/:site_id/devices",
    {
      auth: "onboard",
      params: SiteDeviceParams,
      body: RegisterDeviceBody,
      response: RegisterDeviceResult,
      status: 201,
    },
    async ({ ctx, params, body, reply }) => {
      const { device, apiKey } = await registerDevice(ctx, params.site_id, toInput(body));
      const message = `Device ${device.deviceId} registered; store the api_key now, it is not shown again`;
      return deviceRegistered(app, reply, message, device, apiKey);
    },
  ),

  route.get("/", { auth: "inventory", query: ListDevicesQuery, response: DeviceList }, async ({ ctx, query }) =>
    deviceList(await listDevices(ctx, listInput(query))),
  ),

  route.get("/tags", { auth: "inventory", response: DeviceTagList }, async ({ ctx }) => {
    const list = await listDeviceTags(ctx);
    return okList(
      "tags",
      list.map((t) => ({ tag: t.tag, device_count: t.deviceCount })),
    );
  }),

  route.get("/segments", { auth: "viewer", response: DeviceSegmentList }, async ({ ctx }) => {
    const list = await listDeviceSegments(ctx);
    return okList(
      "segments",
      list.map((s) => ({ segment: s.segment, device_count: s.deviceCount })),
    );
  }),

  route.post(
    "/bulk",
    {
      auth: "operator",
      // A bulk reboot or command queues one per device: it shares the per-user command budget's route limit.
      config: perUserRateLimit(app.deps.config.commandRatePerMin),
      body: BulkDeviceActionBody,
      response: BulkDeviceActionResult,
    },
    async ({ ctx, body: b }) => {
      const { device_ids, ...action } = b;
      const results = await updateDevices(ctx, device_ids, toInput(action));
      for (const r of results) if (r.success) app.deviceKeys.forget(r.deviceId);
      const succeeded = results.filter((r) => r.success).length;
      return okWrite(`${b.action}: ${succeeded} of ${results.length} devices done`, {
        action: b.action,
        requested: results.length,
        succeeded,
        failed: results.length - succeeded,
        results: results.map((r) => ({
          device_id: r.deviceId,
          success: r.success,
          status_code: r.statusCode,
          message: r.message,
          ...(r.commandId ? { command_id: r.commandId } : {}),
        })),
      });
    },
  ),

  route.get("/:device_id", { ...one, auth: "inventory", response: DeviceGetResult }, async ({ ctx, params }) => {
    const { device, siteName } = await getDevice(ctx, params.device_id);
    return ok(presentDevice(device, siteName));
  }),

  route.put(
    "/:device_id",
    { ...one, auth: "operator", body: UpdateDeviceBody, response: DeviceWriteResult },
    async ({ ctx, params, body }) => {
      const device = await updateDevice(ctx, params.device_id, toInput(body));
      app.deviceKeys.forget(device.deviceId);
      return okWrite(`Device ${device.deviceId} updated`, presentDevice(device));
    },
  ),

  route.delete(
    "/:device_id",
    { ...one, auth: "admin", query: DeleteDeviceQuery, response: MessageResult },
    async ({ ctx, params, query }) => {
      if (query.mode === "purge") {
        const r = await purgeDevice(ctx, params.device_id, query.confirm);
        app.deviceKeys.forget(r.deviceId);
        return okMessage(`Device ${r.deviceId} and all its data purged`);
      }
      const device = await deleteDevice(ctx, params.device_id);
      app.deviceKeys.forget(device.deviceId);
      return okMessage(`Device ${device.deviceId} deleted`);
    },
  ),

  route.post(
    "/:device_id/api-key/rotate",
    { ...one, auth: "operator", response: RotateKeyResult },
    async ({ ctx, params, reply }) => {
      const deviceId = params.device_id;
      const rotated = await rotateDeviceKey(ctx, deviceId, app.deps.config.keyGraceS);
      app.deviceKeys.forget(deviceId);
      reply.header("cache-control", "no-store");
      return {
        success: true as const,
        message: `New API key issued for ${deviceId}; store it now, it is not shown again`,
        device_id: deviceId,
        api_key: rotated.apiKey,
        api_key_prefix: rotated.prefix,
        previous_key_valid_until: rotated.previousValidUntil?.toISOString() ?? null,
      };
    },
  ),

  route.delete(
    "/:device_id/api-key",
    { ...one, auth: "operator", response: MessageResult },
    async ({ ctx, params }) => {
      const deviceId = params.device_id;
      await revokeDeviceKey(ctx, deviceId);
      app.deviceKeys.forget(deviceId);
      return okMessage(`API key of ${deviceId} revoked`);
    },
  ),
]);
