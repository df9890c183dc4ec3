import { sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import type { DeviceRow } from "../devices/device.repository.ts";
import { ConflictError } from "../errors.ts";
import { setDeviceActive } from "./set-device-active.ts";

/**
 * Brings an archived device back into the lists. It comes back suspended (an active one is suspended on the way),
 * so it reports again only once an operator resumes it. Its site must not be archived. Restoring twice changes nothing.
 */
export function restoreDevice(ctx: Context, deviceId: string): Promise<{ device: DeviceRow; already: boolean }> {
  return setDeviceActive(ctx, deviceId, true, {
    check: async (tx, d) => {
      const [site] = await tx.select().from(sites).where(eq(sites.siteId, d.siteId)).limit(1);
      if (site?.lifecycleState === "archived")
        throw new ConflictError(`Site ${d.siteId} is archived; restore the site before its devices`);
    },
    reason: "restored from the archive",
    audit: (d, after) => ({
      eventType: "device_restored",
      description: `Device ${d.deviceId} restored (${after.lifecycleState} until resumed)`,
    }),
  });
}
