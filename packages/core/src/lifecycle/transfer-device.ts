import type { Context } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { activateAtSite } from "./activate-at-site.ts";
import { runTransition, type TransitionInput, type TransitionResult, wrongState } from "./record-transition.ts";
import { activeSite } from "./target-site.ts";

export interface TransferInput extends TransitionInput {
  targetSiteId: string;
}

/**
 * Moves an active or suspended device to another site: its epoch at the old site ends and a new one starts,
 * its key is rotated (the old one stops at once; the new one is returned once) and it is active at the new site.
 */
export async function transferDevice(ctx: Context, deviceId: string, input: TransferInput): Promise<TransitionResult> {
  return runTransition(ctx, deviceId, "transfer", input, async (tx, device, now) => {
    if (device.lifecycleState !== "active" && device.lifecycleState !== "suspended")
      throw wrongState(device, "transfer", ["active", "suspended"]);
    const site = await activeSite(tx, input.targetSiteId, "target_site_id");
    if (site.siteId === device.siteId)
      throw new ValidationError(`Device ${device.deviceId} is already at site ${site.siteId}`, "target_site_id");
    return activateAtSite(tx, device, site, "transfer", now);
  });
}
