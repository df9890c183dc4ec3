import {
  DevicePermissionsParams,
  DevicePermissionsResponse,
  OverridePermissionsBody,
  UpdatePermissionsBody,
} from "@homepot/contracts/permissions";
import { getDevicePermissions } from "@homepot/core/permissions/get-device-permissions";
import { presentPermissions } from "@homepot/core/permissions/present";
import { updateDevicePermissions } from "@homepot/core/permissions/update-device-permissions";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["permissions"];

/** The owner's grants on a device (the original's `/devices/device/{id}/permissions` routes). */
export const permissionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/device/:device_id/permissions",
    {
      onRequest: app.authenticateDeviceOr("operator"),
      schema: { tags, params: DevicePermissionsParams, response: { 200: DevicePermissionsResponse } },
    },
    async (request) =>
      presentPermissions(
        await getDevicePermissions(requestContext(request), request.params.device_id),
        "Permissions retrieved",
      ),
  );

  app.patch(
    "/device/:device_id/permissions",
    {
      onRequest: app.authenticateDevice,
      schema: {
        tags,
        summary: "The device (its owner, on the device) grants or revokes",
        params: DevicePermissionsParams,
        body: UpdatePermissionsBody,
        response: { 200: DevicePermissionsResponse },
      },
    },
    async (request) =>
      presentPermissions(
        await updateDevicePermissions(requestContext(request), request.params.device_id, request.body),
        "Permissions updated",
      ),
  );

  app.patch(
    "/device/:device_id/permissions/admin-override",
    {
      onRequest: app.authorize("admin"),
      schema: {
        tags,
        summary: "An admin overrides the owner's grants (audited with the reason)",
        params: DevicePermissionsParams,
        body: OverridePermissionsBody,
        response: { 200: DevicePermissionsResponse },
      },
    },
    async (request) =>
      presentPermissions(
        await updateDevicePermissions(requestContext(request), request.params.device_id, request.body, {
          override: true,
        }),
        "Permissions overridden by admin",
      ),
  );
};
