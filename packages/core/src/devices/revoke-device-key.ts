import type { Context } from "../context.ts";
import { setDeviceKeys } from "./set-device-keys.ts";

/** Revokes every key of a device (current and previous) at once; the device must be given a new one by rotation. */
export function revokeDeviceKey(ctx: Context, deviceId: string): Promise<void> {
  return setDeviceKeys(ctx, deviceId, () => ({
    keys: {
      apiKeyHash: null,
      apiKeyPrefix: null,
      apiKeyCreatedAt: null,
      previousApiKeyHash: null,
      previousApiKeyExpiresAt: null,
    },
    done: "revoked",
    newValues: { api_key_prefix: null },
    result: undefined,
  }));
}
