import type { Db, devices } from "@homepot/db";
import type { DeviceRow } from "../devices/device.repository.ts";
import { generateDeviceKey } from "../devices/device-key.ts";
import { startEpoch } from "../devices/epoch.repository.ts";
import type { SiteRow } from "../sites/site.repository.ts";
import type { Plan } from "./record-transition.ts";

/**
 * The plan of a device that becomes active at `site` (re-enrolled or transferred): a new epoch there and a new key
 * (returned once; every earlier key stops at once), plus any other columns in `set`.
 */
export async function activateAtSite(
  tx: Db,
  device: DeviceRow,
  site: SiteRow,
  action: "reenrol" | "transfer",
  now: Date,
  set: Partial<typeof devices.$inferInsert> = {},
): Promise<Plan> {
  const key = generateDeviceKey();
  const epochId = await startEpoch(tx, device, site.siteId, action === "reenrol" ? "re-enrolled" : "transferred", now);
  return {
    apiKey: key.key,
    t: {
      action,
      to: "active",
      siteId: site.siteId,
      epochId,
      set: {
        siteId: site.siteId,
        ...set,
        apiKeyHash: key.hash,
        apiKeyPrefix: key.prefix,
        apiKeyCreatedAt: now,
        previousApiKeyHash: null,
        previousApiKeyExpiresAt: null,
      },
      extra: { from_site_id: device.siteId, api_key_prefix: key.prefix },
    },
  };
}
