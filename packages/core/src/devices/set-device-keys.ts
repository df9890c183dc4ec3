import { devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { type DeviceRow, lockDevice } from "./device.repository.ts";
import { bumpKeyEpoch } from "./key-epoch.ts";

type KeyColumns = Required<
  Pick<
    typeof devices.$inferInsert,
    "apiKeyHash" | "apiKeyPrefix" | "apiKeyCreatedAt" | "previousApiKeyHash" | "previousApiKeyExpiresAt"
  >
>;

/** A change of keys: the columns to write, what the audit row calls it and shows after, and what to answer. */
export interface KeyChange<R> {
  keys: KeyColumns;
  done: "rotated" | "revoked";
  newValues: Record<string, unknown>;
  result: R;
}

/**
 * Changes an active device's keys in one transaction: locks the device, writes the key columns `change` gives,
 * drops every server's cached keys (key epoch) and audits `device_key_<done>`.
 */
export function setDeviceKeys<R>(
  ctx: Context,
  deviceId: string,
  change: (before: DeviceRow, now: Date) => KeyChange<R>,
): Promise<R> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const before = await lockDevice(tx, deviceId);
    if (!before?.isActive) throw new NotFoundError(`device ${deviceId} not found`);
    const { keys, done, newValues, result } = change(before, now);
    await tx
      .update(devices)
      .set({ ...keys, updatedAt: now })
      .where(eq(devices.id, before.id));
    await bumpKeyEpoch(tx);
    await recordAudit(
      ctx,
      {
        eventType: `device_key_${done}`,
        description: `API key of device ${deviceId} ${done}`,
        deviceId: before.id,
        oldValues: { api_key_prefix: before.apiKeyPrefix },
        newValues,
      },
      tx,
    );
    return result;
  });
}
