import { devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { lockDevice } from "./device.repository.ts";
import { bumpKeyEpoch } from "./key-epoch.ts";

/** Revokes every key of a device (current and previous) at once; the device must be given a new one by rotation. */
export async function revokeDeviceKey(ctx: Context, deviceId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await lockDevice(tx, deviceId);
    if (!before?.isActive) throw new NotFoundError(`device ${deviceId} not found`);
    await tx
      .update(devices)
      .set({
        apiKeyHash: null,
        apiKeyPrefix: null,
        apiKeyCreatedAt: null,
        previousApiKeyHash: null,
        previousApiKeyExpiresAt: null,
        updatedAt: ctx.clock.now(),
      })
      .where(eq(devices.id, before.id));
    await bumpKeyEpoch(tx);
    await recordAudit(
      ctx,
      {
        eventType: "device_key_revoked",
        description: `API key of device ${deviceId} revoked`,
        deviceId: before.id,
        oldValues: { api_key_prefix: before.apiKeyPrefix },
        newValues: { api_key_prefix: null },
      },
      tx,
    );
  });
}
