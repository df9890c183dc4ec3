import type { Context } from "../context.ts";
import { generateDeviceKey } from "../devices/device-key.ts";
import { startEpoch } from "../devices/epoch.repository.ts";
import { runTransition, type TransitionInput, type TransitionResult, wrongState } from "./record-transition.ts";
import { activeSite } from "./target-site.ts";

export interface ReenrolInput extends TransitionInput {
  /** Where the device comes back (default: the site it was unpaired from). */
  siteId?: string | undefined;
  name?: string | undefined;
}

/** unpaired → active at a site, with a new key (returned once) and a new epoch. */
export async function reenrolDevice(ctx: Context, deviceId: string, input: ReenrolInput): Promise<TransitionResult> {
  return runTransition(ctx, deviceId, "reenrol", input, async (tx, device, now) => {
    if (device.lifecycleState !== "unpaired") throw wrongState(device, "reenrol", ["unpaired"]);
    const site = await activeSite(tx, input.siteId ?? device.siteId, "site_id");
    const key = generateDeviceKey();
    const epochId = await startEpoch(tx, device, site.siteId, "re-enrolled", now);
    return {
      apiKey: key.key,
      t: {
        action: "reenrol",
        to: "active",
        siteId: site.siteId,
        epochId,
        set: {
          siteId: site.siteId,
          ...(input.name ? { name: input.name } : {}),
          apiKeyHash: key.hash,
          apiKeyPrefix: key.prefix,
          apiKeyCreatedAt: now,
          previousApiKeyHash: null,
          previousApiKeyExpiresAt: null,
        },
        extra: { from_site_id: device.siteId, api_key_prefix: key.prefix },
      },
    };
  });
}
