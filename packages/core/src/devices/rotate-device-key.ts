import { devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { lockDevice } from "./device.repository.ts";
import { generateDeviceKey } from "./device-key.ts";
import { bumpKeyEpoch } from "./key-epoch.ts";

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
export async function rotateDeviceKey(ctx: Context, deviceId: string, graceS: number): Promise<RotatedKey> {
  const key = generateDeviceKey();
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const before = await lockDevice(tx, deviceId);
    if (!before?.isActive) throw new NotFoundError(`device ${deviceId} not found`);
    const previousValidUntil = before.apiKeyHash && graceS > 0 ? new Date(now.getTime() + graceS * 1000) : null;
    await tx
      .update(devices)
      .set({
        apiKeyHash: key.hash,
        apiKeyPrefix: key.prefix,
        apiKeyCreatedAt: now,
        previousApiKeyHash: previousValidUntil ? before.apiKeyHash : null,
        previousApiKeyExpiresAt: previousValidUntil,
        updatedAt: now,
      })
      .where(eq(devices.id, before.id));
    await bumpKeyEpoch(tx);
    await recordAudit(
      ctx,
      {
        eventType: "device_key_rotated",
        description: `API key of device ${deviceId} rotated`,
        deviceId: before.id,
        oldValues: { api_key_prefix: before.apiKeyPrefix },
        newValues: { api_key_prefix: key.prefix, previous_key_valid_until: previousValidUntil?.toISOString() ?? null },
      },
      tx,
    );
    return { apiKey: key.key, prefix: key.prefix, previousValidUntil };
  });
}
