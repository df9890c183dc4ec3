import { capabilitiesOf, osFamilyOf } from "./grants.ts";
import { type findDeviceGrants, flagsOf } from "./permissions.repository.ts";

type DeviceGrants = NonNullable<Awaited<ReturnType<typeof findDeviceGrants>>>;

/** The original's permissions answer (+ the OS family and who last changed them). */
export function presentPermissions(device: DeviceGrants, message: string) {
  const family = osFamilyOf(device.osFamily ?? device.osDetails);
  return {
    success: true as const,
    status: "success" as const,
    data: {
      device_id: device.deviceId,
      permissions: flagsOf(device.grants),
      capabilities: capabilitiesOf(family),
      os_family: family,
      updated_via: device.grants?.updatedVia ?? null,
      updated_at: device.grants?.updatedAt.toISOString() ?? null,
      message,
    },
  };
}
