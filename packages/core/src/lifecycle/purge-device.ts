import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { lockDevice } from "../devices/device.repository.ts";
import { bumpKeyEpoch } from "../devices/key-epoch.ts";
import { announce } from "../devices/lifecycle-bus.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { deleteDeviceRows } from "./purge-rows.ts";

/**
 * Deletes one device and every row of its data in one transaction, leaving only an audit tombstone
 * (`device_purged`). Admins only, and only with `confirm` set.
 */
export async function purgeDevice(ctx: Context, deviceId: string, confirm: boolean): Promise<{ deviceId: string }> {
  if (ctx.actor.kind === "user" && ctx.actor.role !== "admin")
    throw new ForbiddenError("Purging a device needs an admin");
  if (!confirm) throw new ValidationError("purge deletes the device and all its data: send confirm=true", "confirm");
  const gone = await ctx.db.transaction(async (tx) => {
    const d = await lockDevice(tx, deviceId);
    if (!d) throw new NotFoundError(`device ${deviceId} not found`);
    await deleteDeviceRows(tx, [d]);
    await bumpKeyEpoch(tx);
    await recordAudit(
      ctx,
      {
        eventType: "device_purged",
        description: `Device ${d.deviceId} (${d.name}) of site ${d.siteId} and all its data purged`,
        oldValues: { device_id: d.deviceId, name: d.name, site_id: d.siteId, db_id: d.id },
        metadata: { cleanup_policy: "purge" },
      },
      tx,
    );
    return d;
  });
  announce([gone], { purged: true });
  return { deviceId: gone.deviceId };
}
