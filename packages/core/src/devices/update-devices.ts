import { devices } from "@homepot/db";
import { and, inArray } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import { normalizeCommandType } from "../commands/command-types.ts";
import { queueCommand } from "../commands/queue-command.ts";
import type { Context } from "../context.ts";
import { AppError, ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { plural } from "../plural.ts";
import { findSiteBySiteId } from "../sites/site.repository.ts";
import { inScope } from "../tenants/authorize.ts";
import { normalizeTags } from "./device-tags.ts";
import { updateDevice } from "./update-device.ts";

/** One action applied to many devices (the device list's bulk actions). */
export type BulkDeviceAction =
  | { action: "command"; commandType: string; payload?: Record<string, unknown> | undefined; expiresInS?: number }
  | { action: "move"; siteId: string }
  | { action: "status"; status: string }
  | { action: "tag"; add: string[]; remove: string[] };

export interface BulkDeviceResult {
  deviceId: string;
  success: boolean;
  /** What this device's change alone would have answered over HTTP. */
  statusCode: number;
  message: string;
  commandId?: string;
}

function statusOf(error: AppError): number {
  if (error instanceof ValidationError) return 422;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  return 400;
}

/**
 * Applies `action` to each of `deviceIds` on its own (its own transaction and audit row, through the same use
 * case as the single-device route), so one bad device does not undo the others; answers one result per id, in
 * the order given. The shared arguments (target site, tags) are checked first and fail the whole request. One
 * more audit row records the bulk request itself.
 */
export async function updateDevices(
  ctx: Context,
  deviceIds: string[],
  action: BulkDeviceAction,
): Promise<BulkDeviceResult[]> {
  const ids = [...new Set(deviceIds)];
  if (action.action === "move") {
    const site = await findSiteBySiteId(ctx.db, action.siteId);
    if (!site?.isActive) throw new NotFoundError(`site ${action.siteId} not found`);
  }
  if (action.action === "command") normalizeCommandType(action.commandType);
  if (action.action === "tag") {
    normalizeTags(action.add);
    normalizeTags(action.remove);
  }
  const known = new Map(
    (
      await ctx.db
        .select({ deviceId: devices.deviceId, isActive: devices.isActive })
        .from(devices)
        .where(and(inArray(devices.deviceId, ids), inScope(ctx, { site: devices.siteId }, "operate")))
    ).map((d) => [d.deviceId, d.isActive]),
  );

  const results: BulkDeviceResult[] = [];
  for (const deviceId of ids) {
    if (!known.get(deviceId)) {
      results.push({ deviceId, success: false, statusCode: 404, message: `device ${deviceId} not found` });
      continue;
    }
    try {
      results.push(await applyOne(ctx, deviceId, action));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ deviceId, success: false, statusCode: statusOf(error), message: error.message });
    }
  }

  const succeeded = results.filter((r) => r.success).length;
  await recordAudit(ctx, {
    eventType: "devices_bulk_action",
    description: `Bulk ${action.action} on ${plural(ids.length, "device")}: ${succeeded} succeeded, ${ids.length - succeeded} failed`,
    newValues: { ...describe(action), device_ids: ids },
    metadata: { results: results.map((r) => ({ device_id: r.deviceId, success: r.success, status: r.statusCode })) },
  });
  return results;
}

async function applyOne(ctx: Context, deviceId: string, action: BulkDeviceAction): Promise<BulkDeviceResult> {
  switch (action.action) {
    case "command": {
      const command = await queueCommand(ctx, {
        deviceId,
        commandType: action.commandType,
        payload: action.payload ?? {},
        expiresInS: action.expiresInS ?? null,
      });
      return {
        deviceId,
        success: true,
        statusCode: 201,
        message: `${command.commandType} queued`,
        commandId: command.commandId,
      };
    }
    case "move":
      await updateDevice(ctx, deviceId, { siteId: action.siteId });
      return { deviceId, success: true, statusCode: 200, message: `moved to ${action.siteId}` };
    case "status":
      await updateDevice(ctx, deviceId, { status: action.status });
      return { deviceId, success: true, statusCode: 200, message: `status set to ${action.status}` };
    case "tag": {
      const after = await updateDevice(ctx, deviceId, { tagChange: { add: action.add, remove: action.remove } });
      return { deviceId, success: true, statusCode: 200, message: `tags: ${after.tags.join(", ") || "none"}` };
    }
  }
}

function describe(action: BulkDeviceAction): Record<string, unknown> {
  switch (action.action) {
    case "command":
      return { action: "command", command_type: action.commandType };
    case "move":
      return { action: "move", site_id: action.siteId };
    case "status":
      return { action: "status", status: action.status };
    case "tag":
      return { action: "tag", add: action.add, remove: action.remove };
  }
}
