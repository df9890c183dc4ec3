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
import { okMessage } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";
import { deviceList, deviceRegistered } from "./device-replies.ts";
import { listInput } from "./devices.routes.ts";

const one = { params: DeviceParams } as const;

/** The original's `/devices/device[/{device_id}]` routes (SPEC §6, issue 14 §10), on the same use cases as ours. */
export const deviceCompatRoutes = featureRoutes(["devices"], (app) => [
  route.get(
    "/device",
    { auth: "inventory", query: ListDevicesQuery, response: DeviceList.partial({ total: true }) },
    async ({ ctx, query }) => deviceList(await listDevices(ctx, listInput(query))),
  ),

  route.post(
    "/device",
    { auth: "onboard", body: CreateDeviceCompatBody, response: RegisterDeviceResult, status: 201 },
    async ({ ctx, body, reply }) => {
      const { site_id, enrollment_method, enrollment_token, ...rest } = body;
      const { device, apiKey } = await registerDevice(ctx, site_id, toInput(rest));
      const message = "Device created successfully; store the api_key now, it is not shown again";
      return deviceRegistered(app, reply, message, device, apiKey);
    },
  ),

  route.get("/device/:device_id", { ...one, auth: "inventory", response: DeviceSchema }, async ({ ctx, params }) => {
    const { device, siteName } = await getDevice(ctx, params.device_id);
    return presentDevice(device, siteName);
  }),

  route.put(
    "/device/:device_id",
    {
      ...one,
      auth: "operator",
      body: UpdateDeviceCompatBody,
      response: DeviceWriteResult.extend({ device_id: DeviceSchema.shape.device_id, name: DeviceSchema.shape.name }),
    },
    async ({ ctx, params, body }) => {
      const device = await updateDevice(ctx, params.device_id, toInput(body));
      app.deviceKeys.forget(device.deviceId);
      return {
        success: true as const,
        message: "Device updated successfully",
        device_id: device.deviceId,
        name: device.name,
        data: presentDevice(device),
      };
    },
  ),

  route.delete("/device/:device_id", { ...one, auth: "admin", response: MessageResult }, async ({ ctx, params }) => {
    const device = await deleteDevice(ctx, params.device_id);
    app.deviceKeys.forget(device.deviceId);
    return okMessage(`Device '${device.deviceId}' deleted`);
  }),
]);
