import type { Context } from "../context.ts";
import { generateDeviceKey } from "./device-key.ts";
import { setDeviceKeys } from "./set-device-keys.ts";

export interface RotatedKey {
  apiKey: string;
  prefix: string;
  /** Until when the previous key keeps working (null when there was none or no grace). */
  previousValidUntil: Date | null;
}

/**
 * Issues a new key for a device. The previous key keeps working for `graceS` seconds
 * (HOMEPOT_KEY_GRACE_S), so a device can pick up the new one without an outage.
 */
export function rotateDeviceKey(ctx: Context, deviceId: string, graceS: number): Promise<RotatedKey> {
  const key = generateDeviceKey();
  return setDeviceKeys(ctx, deviceId, (before, now) => {
    const previousValidUntil = before.apiKeyHash && graceS > 0 ? new Date(now.getTime() + graceS * 1000) : null;
    return {
      keys: {
        apiKeyHash: key.hash,
        apiKeyPrefix: key.prefix,
        apiKeyCreatedAt: now,
        previousApiKeyHash: previousValidUntil ? before.apiKeyHash : null,
        previousApiKeyExpiresAt: previousValidUntil,
      },
      done: "rotated",
      newValues: { api_key_prefix: key.prefix, previous_key_valid_until: previousValidUntil?.toISOString() ?? null },
      result: { apiKey: key.key, prefix: key.prefix, previousValidUntil },
    };
  });
}
