import type { Context } from "../context.ts";
import type { DeviceRow } from "../devices/device.repository.ts";
import { endEpoch } from "../devices/epoch.repository.ts";
import { runTransition, wrongState } from "../lifecycle/record-transition.ts";

export type PendingDecision = "approve" | "reject";

/**
 * Decides on a self-provisioned device waiting in `pending`: approve makes it active (its key now works for
 * everything); reject unpairs it (key revoked, epoch ended, device removed from the fleet). Each is a lifecycle
 * transition (event, state history, audit); 409 when the device is not pending.
 */
export async function decidePendingDevice(
  ctx: Context,
  deviceId: string,
  decision: PendingDecision,
  reason?: string | null,
): Promise<DeviceRow> {
  const action = decision === "approve" ? "approve" : "unpair";
  const result = await runTransition(ctx, deviceId, action, { reason }, async (tx, device, now) => {
    if (device.lifecycleState !== "pending") throw wrongState(device, action, ["pending"]);
    if (decision === "approve") return { t: { action, to: "active" } };
    await endEpoch(tx, device, now);
    return {
      t: {
        action,
        to: "unpaired",
        set: {
          isActive: false,
          apiKeyHash: null,
          apiKeyPrefix: null,
          previousApiKeyHash: null,
          previousApiKeyExpiresAt: null,
        },
        extra: { rejected: true },
      },
    };
  });
  return result.device;
}
