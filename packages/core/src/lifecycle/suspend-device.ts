import type { Context } from "../context.ts";
import { runTransition, type TransitionInput, type TransitionResult, wrongState } from "./record-transition.ts";

/** active → suspended: the device's ingest answers 403 and it takes no commands; its key is kept. */
export async function suspendDevice(ctx: Context, deviceId: string, input: TransitionInput): Promise<TransitionResult> {
  return runTransition(ctx, deviceId, "suspend", input, async (_tx, device) => {
    if (device.lifecycleState === "suspended") return null;
    if (device.lifecycleState !== "active") throw wrongState(device, "suspend", ["active"]);
    return { t: { action: "suspend", to: "suspended" } };
  });
}
