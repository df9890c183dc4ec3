import { deviceCommands } from "@homepot/db";
import { and, eq, inArray } from "drizzle-orm";
import type { Context } from "../context.ts";
import { endEpoch } from "../devices/epoch.repository.ts";
import { runTransition, type TransitionInput, type TransitionResult, wrongState } from "./record-transition.ts";

/**
 * pending | active | suspended → unpaired: every key of the device is revoked at once, its open commands
 * are cancelled and its epoch ends. Its history stays; re-enrolment starts a new epoch with a new key.
 * Unpairing an unpaired device changes nothing (idempotent, with or without an idempotency key).
 */
export async function unpairDevice(ctx: Context, deviceId: string, input: TransitionInput): Promise<TransitionResult> {
  return runTransition(ctx, deviceId, "unpair", input, async (tx, device, now) => {
    if (device.lifecycleState === "unpaired") return null;
    if (!["pending", "active", "suspended"].includes(device.lifecycleState))
      throw wrongState(device, "unpair", ["pending", "active", "suspended"]);
    await tx
      .update(deviceCommands)
      .set({ status: "cancelled", cancelledAt: now, errorMessage: "device unpaired" })
      .where(and(eq(deviceCommands.deviceId, device.deviceId), inArray(deviceCommands.status, ["pending", "sent"])));
    await endEpoch(tx, device, now);
    return {
      t: {
        action: "unpair",
        to: "unpaired",
        set: {
          apiKeyHash: null,
          apiKeyPrefix: null,
          apiKeyCreatedAt: null,
          previousApiKeyHash: null,
          previousApiKeyExpiresAt: null,
        },
        extra: { api_key_prefix: device.apiKeyPrefix },
      },
    };
  });
}
