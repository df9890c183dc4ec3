import { MessageResult } from "@homepot/contracts";
import {
  CreateDeviceCompatBody,
  DeviceList,
  DeviceParams,
  DeviceSchema,
  DeviceWriteResult,
  ListDevicesQuery,
  RegisterDeviceResult,
  UpdateDeviceCompatBody,
} from "@homepot/contracts/devices";
import { toInput } from "@homepot/contracts/input";
import { deleteDevice } from "@homepot/core/devices/delete-device";
import { getDevice } from "@homepot/core/devices/get-device";
import { listDevices } from "@homepot/core/devices/list-devices";
import { presentDevice } from "@homepot/core/devices/present";
import { registerDevice } from "@homepot/core/devices/register-device";
import { updateDevice } from "@homepot/core/devices/update-device";
import { presentReleaseKey } from "@homepot/core/releases/present";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";
import { listInput } from "./devices.routes.ts";

const tags = ["devices"];

/** The original's `/devices/device[/{device_id}]` routes (SPEC §6, issue 14 §10), on the same use cases as ours. */
export const deviceCompatRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/device",
    {
      onRequest: app.authorize("inventory"),
      schema: { tags, querystring: ListDevicesQuery, response: { 200: DeviceList.partial({ total: true }) } },
    },
    async (request) => {
      const result = await listDevices(requestContext(request), listInput(request.query));
      const list = result.devices.map((d) => presentDevice(d.device, d.siteName));
      return { success: true as const, count: list.length, total: result.total, devices: list };
    },
  );

  app.post(
    "/device",
    {
      onRequest: app.authorize("onboard"),
      schema: { tags, body: CreateDeviceCompatBody, response: { 201: RegisterDeviceResult } },
    },
    async (request, reply) => {
      const { site_id, enrollment_method, enrollment_token, ...body } = request.body;
      const { device, apiKey } = await registerDevice(requestContext(request), site_id, toInput(body));
      app.deviceKeys.forget(device.deviceId);
      reply.header("cache-control", "no-store");
      return reply.code(201).send({
        success: true as const,
        message: "Device created successfully; store the api_key now, it is not shown again",
        ...presentDevice(device),
        api_key: apiKey,
        release_key: presentReleaseKey(app.releaseStore()),
      });
    },
  );

  app.get(
    "/device/:device_id",
    { onRequest: app.authorize("inventory"), schema: { tags, params: DeviceParams, response: { 200: DeviceSchema } } },
    async (request) => {
      const { device, siteName } = await getDevice(requestContext(request), request.params.device_id);
      return presentDevice(device, siteName);
    },
  );

  app.put(
    "/device/:device_id",
    {
      onRequest: app.authorize("operator"),
      schema: {
        tags,
        params: DeviceParams,
        body: UpdateDeviceCompatBody,
        response: {
          200: DeviceWriteResult.extend({ device_id: DeviceSchema.shape.device_id, name: DeviceSchema.shape.name }),
        },
      },
    },
    async (request) => {
      const device = await updateDevice(requestContext(request), request.params.device_id, toInput(request.body));
      app.deviceKeys.forget(device.deviceId);
      return {
        success: true as const,
        message: "Device updated successfully",
        device_id: device.deviceId,
        name: device.name,
        data: presentDevice(device),
      };
    },
  );

  app.delete(
    "/device/:device_id",
    { onRequest: app.authorize("admin"), schema: { tags, params: DeviceParams, response: { 200: MessageResult } } },
    async (request) => {
      const device = await deleteDevice(requestContext(request), request.params.device_id);
      app.deviceKeys.forget(device.deviceId);
      return { success: true as const, message: `Device '${device.deviceId}' deleted` };
    },
  );
};
