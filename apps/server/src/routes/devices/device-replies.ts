import type { DeviceRow } from "@homepot/core/devices/device.repository";
import type { listDevices } from "@homepot/core/devices/list-devices";
import { presentDevice } from "@homepot/core/devices/present";
import { presentReleaseKey } from "@homepot/core/releases/present";
import type { FastifyInstance, FastifyReply } from "fastify";
import { okList } from "../replies.ts";

/** A page of devices as every device list answers it (`/devices`, the original's `/devices/device`, a site's). */
export function deviceList({ devices, total }: Awaited<ReturnType<typeof listDevices>>) {
  return okList(
    "devices",
    devices.map((d) => presentDevice(d.device, d.siteName)),
    { total },
  );
}

/**
 * The answer to a device registered by a user: its new key is shown this once (never cached on the way), and the
 * key cache forgets whatever it held for that id.
 */
export function deviceRegistered(
  app: FastifyInstance,
  reply: FastifyReply,
  message: string,
  device: DeviceRow,
  apiKey: string,
) {
  app.deviceKeys.forget(device.deviceId);
  reply.header("cache-control", "no-store");
  return {
    success: true as const,
    message,
    ...presentDevice(device),
    api_key: apiKey,
    release_key: presentReleaseKey(app.releaseStore()),
  };
}
