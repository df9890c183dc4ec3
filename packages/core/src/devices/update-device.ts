import { devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import { diffFields, recordEdit } from "../audit/record-edit.ts";
import { actorLabel, type Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { findSiteBySiteId } from "../sites/site.repository.ts";
import { type DeviceRow, lockDevice } from "./device.repository.ts";
import { assertDeviceNameFree } from "./device-identity.ts";
import { changeTags, normalizeTags } from "./device-tags.ts";
import { setDeviceStatus } from "./set-device-status.ts";

export interface UpdateDeviceInput {
  name?: string | undefined;
  deviceType?: string | undefined;
  ipAddress?: string | null | undefined;
  config?: Record<string, unknown> | null | undefined;
  segment?: string | undefined;
  status?: string | undefined;
  siteId?: string | undefined;
  firmwareVersion?: string | null | undefined;
  configVersion?: string | null | undefined;
  macAddress?: string | null | undefined;
  /** Replaces the tags. */
  tags?: string[] | undefined;
  /** Changes the tags relative to the locked row (bulk tagging); ignored when `tags` is given. */
  tagChange?: { add: string[]; remove: string[] } | undefined;
}

const COLUMNS: Record<Exclude<keyof UpdateDeviceInput, "status" | "tagChange">, string> = {
  name: "name",
  deviceType: "device_type",
  ipAddress: "ip_address",
  config: "config",
  segment: "segment",
  siteId: "site_id",
  firmwareVersion: "firmware_version",
  configVersion: "config_version",
  macAddress: "mac_address",
  tags: "tags",
};

/** Changes a device's fields (and its status, with a state-history row); audits old and new values. */
export async function updateDevice(ctx: Context, deviceId: string, input: UpdateDeviceInput): Promise<DeviceRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await lockDevice(tx, deviceId);
    if (!before?.isActive) throw new NotFoundError(`device ${deviceId} not found`);
    if (input.siteId !== undefined && input.siteId !== before.siteId) {
      const site = await findSiteBySiteId(tx, input.siteId);
      if (!site?.isActive) throw new NotFoundError(`site ${input.siteId} not found`);
    }
    const name = input.name ?? before.name;
    const siteId = input.siteId ?? before.siteId;
    if (name.toLowerCase() !== before.name.toLowerCase() || siteId !== before.siteId)
      await assertDeviceNameFree(tx, siteId, name, before.id);
    if (input.tags !== undefined) input = { ...input, tags: normalizeTags(input.tags) };
    else if (input.tagChange)
      input = { ...input, tags: changeTags(before.tags, input.tagChange.add, input.tagChange.remove) };
    const { patch, oldValues, newValues } = diffFields(before, input, COLUMNS);
    if (Object.keys(patch).length > 0) {
      await tx
        .update(devices)
        .set({ ...(patch as Partial<typeof devices.$inferInsert>), updatedAt: ctx.clock.now() })
        .where(eq(devices.id, before.id));
    }
    if (input.status !== undefined && input.status !== before.status) {
      const who = ctx.actor.kind === "user" ? ctx.actor.username : actorLabel(ctx.actor);
      await setDeviceStatus(ctx, tx, before, {
        status: input.status,
        reason: `Set by ${who}`,
        changedBy: actorLabel(ctx.actor),
      });
      oldValues.status = before.status;
      newValues.status = input.status;
    }
    const [after] = await tx.select().from(devices).where(eq(devices.id, before.id)).limit(1);
    if (!after) throw new NotFoundError(`device ${deviceId} not found`);
    if (Object.keys(newValues).length > 0)
      await recordEdit(
        ctx,
        tx,
        `Device ${deviceId}`,
        { eventType: "device_updated", deviceId: before.id },
        { oldValues, newValues },
      );
    return after;
  });
}
