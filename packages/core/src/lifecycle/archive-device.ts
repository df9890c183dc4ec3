import type { Context } from "../context.ts";
import type { DeviceRow } from "../devices/device.repository.ts";
import { setDeviceActive } from "./set-device-active.ts";

/**
 * Archives one device: it leaves the lists (the Archived filter shows it), its data stays, and an active or
 * pending device is suspended with its lifecycle event, all in one transaction. Archiving twice changes nothing.
 */
export function archiveDevice(
  ctx: Context,
  deviceId: string,
  reason?: string | null,
): Promise<{ device: DeviceRow; already: boolean }> {
  return setDeviceActive(ctx, deviceId, false, {
    reason: `archived${reason?.trim() ? `: ${reason.trim()}` : ""}`,
    audit: (d, after) => ({
      eventType: "device_archived",
      description: `Device ${d.deviceId} archived (data kept; ${after.lifecycleState})`,
      metadata: { reason: reason ?? null },
    }),
  });
}
