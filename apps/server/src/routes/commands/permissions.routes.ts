import {
  DevicePermissionsParams,
  DevicePermissionsResponse,
  OverridePermissionsBody,
  UpdatePermissionsBody,
} from "@homepot/contracts/permissions";
import { getDevicePermissions } from "@homepot/core/permissions/get-device-permissions";
import { presentPermissions } from "@homepot/core/permissions/present";
import { updateDevicePermissions } from "@homepot/core/permissions/update-device-permissions";
import { featureRoutes, route } from "../route.ts";

const grants = { params: DevicePermissionsParams, response: DevicePermissionsResponse } as const;

/** The owner's grants on a device (the original's `/devices/device/{id}/permissions` routes). */
export const permissionRoutes = featureRoutes(["permissions"], () => [
  route.get("/device/:device_id/permissions", { ...grants, auth: { deviceOr: "operator" } }, async ({ ctx, params }) =>
    presentPermissions(await getDevicePermissions(ctx, params.device_id), "Permissions retrieved"),
  ),

  route.patch(
    "/device/:device_id/permissions",
    {
      ...grants,
      auth: "device",
      summary: "The device (its owner, on the device) grants or revokes",
      body: UpdatePermissionsBody,
    },
    async ({ ctx, params, body }) =>
      presentPermissions(await updateDevicePermissions(ctx, params.device_id, body), "Permissions updated"),
  ),

  route.patch(
    "/device/:device_id/permissions/admin-override",
    {
      ...grants,
      auth: "admin",
      summary: "An admin overrides the owner's grants (audited with the reason)",
      body: OverridePermissionsBody,
    },
    async ({ ctx, params, body }) =>
      presentPermissions(
        await updateDevicePermissions(ctx, params.device_id, body, { override: true }),
        "Permissions overridden by admin",
      ),
  ),
]);
