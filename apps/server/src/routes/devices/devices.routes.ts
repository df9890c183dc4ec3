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
import { type BulkDeviceAction, updateDevices } from "@homepot/core/devices/update-devices";
import { purgeDevice } from "@homepot/core/lifecycle/purge-device";
import { presentReleaseKey } from "@homepot/core/releases/present";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
import { perUserRateLimit } from "../../plugins/auth.ts";
import { requestContext } from "../../plugins/context.ts";

const tags = ["devices"];

export function listInput({ tag, ...q }: z.infer<typeof ListDevicesQuery>): ListDevicesInput {
  return { ...toInput(q), tags: tag };
}

function bulkAction(b: BulkDeviceActionBody): BulkDeviceAction {
  switch (b.action) {
    case "command":
      return {
        action: "command",
        commandType: b.command_type,
        payload: b.payload,
        ...(b.expires_in_s ? { expiresInS: b.expires_in_s } : {}),
      };
    case "move":
      return { action: "move", siteId: b.site_id };
    case "status":
      return { action: "status", status: b.status };
    case "tag":
      return { action: "tag", add: b.add, remove: b.remove };
  }
}

/** Device management (users) under /api/v1/devices; device-facing calls live in their own files. */
export const deviceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/sites/:site_id/devices",
    {
      onRequest: app.authorize("onboard"),
      schema: { tags, params: SiteDeviceParams, body: RegisterDeviceBody, response: { 201: RegisterDeviceResult } },
    },
    async (request, reply) => {
      const ctx = requestContext(request);
      const { device, apiKey } = await registerDevice(ctx, request.params.site_id, toInput(request.body));
      app.deviceKeys.forget(device.deviceId);
      reply.header("cache-control", "no-store");
      return reply.code(201).send({
        success: true as const,
        message: `Device ${device.deviceId} registered; store the api_key now, it is not shown again`,
        ...presentDevice(device),
        api_key: apiKey,
        release_key: presentReleaseKey(app.releaseStore()),
      });
    },
  );

  app.get(
    "/",
    {
      onRequest: app.authorize("inventory"),
      schema: { tags, querystring: ListDevicesQuery, response: { 200: DeviceList } },
    },
    async (request) => {
      const result = await listDevices(requestContext(request), listInput(request.query));
      const list = result.devices.map((d) => presentDevice(d.device, d.siteName));
      return { success: true as const, count: list.length, total: result.total, devices: list };
    },
  );

  app.get(
    "/tags",
    { onRequest: app.authorize("inventory"), schema: { tags, response: { 200: DeviceTagList } } },
    async (request) => {
      const list = await listDeviceTags(requestContext(request));
      return {
        success: true as const,
        count: list.length,
        tags: list.map((t) => ({ tag: t.tag, device_count: t.deviceCount })),
      };
    },
  );

  app.get(
    "/segments",
    { onRequest: app.authorize("viewer"), schema: { tags, response: { 200: DeviceSegmentList } } },
    async (request) => {
      const list = await listDeviceSegments(requestContext(request));
      return {
        success: true as const,
        count: list.length,
        segments: list.map((s) => ({ segment: s.segment, device_count: s.deviceCount })),
      };
    },
  );

  app.post(
    "/bulk",
    {
      onRequest: app.authorize("operator"),
      // A bulk reboot or command queues one per device: it shares the per-user command budget's route limit.
      config: perUserRateLimit(app.deps.config.commandRatePerMin),
      schema: { tags, body: BulkDeviceActionBody, response: { 200: BulkDeviceActionResult } },
    },
    async (request) => {
      const b = request.body;
      const results = await updateDevices(requestContext(request), b.device_ids, bulkAction(b));
      for (const r of results) if (r.success) app.deviceKeys.forget(r.deviceId);
      const succeeded = results.filter((r) => r.success).length;
      return {
        success: true as const,
        message: `${b.action}: ${succeeded} of ${results.length} devices done`,
        data: {
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
        },
      };
    },
  );

  app.get(
    "/:device_id",
    {
      onRequest: app.authorize("inventory"),
      schema: { tags, params: DeviceParams, response: { 200: DeviceGetResult } },
    },
    async (request) => {
      const { device, siteName } = await getDevice(requestContext(request), request.params.device_id);
      return { success: true as const, data: presentDevice(device, siteName) };
    },
  );

  app.put(
    "/:device_id",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: DeviceParams, body: UpdateDeviceBody, response: { 200: DeviceWriteResult } },
    },
    async (request) => {
      const ctx = requestContext(request);
      const device = await updateDevice(ctx, request.params.device_id, toInput(request.body));
      app.deviceKeys.forget(device.deviceId);
      return { success: true as const, message: `Device ${device.deviceId} updated`, data: presentDevice(device) };
    },
  );

  app.delete(
    "/:device_id",
    {
      onRequest: app.authorize("admin"),
      schema: { tags, params: DeviceParams, querystring: DeleteDeviceQuery, response: { 200: MessageResult } },
    },
    async (request) => {
      if (request.query.mode === "purge") {
        const r = await purgeDevice(requestContext(request), request.params.device_id, request.query.confirm);
        app.deviceKeys.forget(r.deviceId);
        return { success: true as const, message: `Device ${r.deviceId} and all its data purged` };
      }
      const device = await deleteDevice(requestContext(request), request.params.device_id);
      app.deviceKeys.forget(device.deviceId);
      return { success: true as const, message: `Device ${device.deviceId} deleted` };
    },
  );

  app.post(
    "/:device_id/api-key/rotate",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: DeviceParams, response: { 200: RotateKeyResult } },
    },
    async (request, reply) => {
      const deviceId = request.params.device_id;
      const rotated = await rotateDeviceKey(requestContext(request), deviceId, app.deps.config.keyGraceS);
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
  );

  app.delete(
    "/:device_id/api-key",
    { onRequest: app.authorize("operator"), schema: { tags, params: DeviceParams, response: { 200: MessageResult } } },
    async (request) => {
      const deviceId = request.params.device_id;
      await revokeDeviceKey(requestContext(request), deviceId);
      app.deviceKeys.forget(deviceId);
      return { success: true as const, message: `API key of ${deviceId} revoked` };
    },
  );
};
