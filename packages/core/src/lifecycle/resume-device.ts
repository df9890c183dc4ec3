import type { Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { findSiteBySiteId } from "../sites/site.repository.ts";
import { runTransition, type TransitionInput, type TransitionResult, wrongState } from "./record-transition.ts";

/** suspended → active. A device of an archived site stays suspended until the site is restored. */
export async function resumeDevice(ctx: Context, deviceId: string, input: TransitionInput): Promise<TransitionResult> {
  return runTransition(ctx, deviceId, "resume", input, async (tx, device) => {
    if (device.lifecycleState === "active") return null;
    if (device.lifecycleState !== "suspended") throw wrongState(device, "resume", ["suspended"]);
    const site = await findSiteBySiteId(tx, device.siteId);
    if (site?.lifecycleState === "archived")
      throw new ConflictError(`Site ${device.siteId} is archived; restore it before resuming its devices`);
    return { t: { action: "resume", to: "active" } };
  });
}
