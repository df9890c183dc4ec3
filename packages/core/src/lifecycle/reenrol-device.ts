import type { Context } from "../context.ts";
import { activateAtSite } from "./activate-at-site.ts";
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
    return activateAtSite(tx, device, site, "reenrol", now, input.name ? { name: input.name } : {});
  });
}
