import { devices } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { findSiteBySiteId } from "../sites/site.repository.ts";
import { type DeviceRow, findDeviceByDeviceId } from "./device.repository.ts";
import { generateDeviceKey } from "./device-key.ts";
import { normalizeTags } from "./device-tags.ts";
import { startEpoch } from "./epoch.repository.ts";
import { segmentForType } from "./segment.ts";

export interface RegisterDeviceInput {
  deviceId: string;
  name: string;
  deviceType: string;
  ipAddress?: string | null | undefined;
  config?: Record<string, unknown> | null | undefined;
  segment?: string | undefined;
  isSimulated?: boolean | undefined;
  firmwareVersion?: string | null | undefined;
  configVersion?: string | null | undefined;
  tags?: string[] | undefined;
}

/**
 * Registers a device at an active site and issues its API key. The key is returned once, here; only
 * its SHA-256 is stored. Simulated devices get keys too, so they exercise the same paths as real ones.
 * 404 for an unknown site, 409 when the device id exists (even soft-deleted: ids are never reused).
 */
export async function registerDevice(
  ctx: Context,
  siteId: string,
  input: RegisterDeviceInput,
): Promise<{ device: DeviceRow; apiKey: string }> {
  const site = await findSiteBySiteId(ctx.db, siteId);
  if (!site?.isActive) throw new NotFoundError(`site ${siteId} not found`);
  if (await findDeviceByDeviceId(ctx.db, input.deviceId))
    throw new ConflictError(`device ${input.deviceId} already exists`);
  const key = generateDeviceKey();
  const now = ctx.clock.now();
  const device = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(devices)
      .values({
        deviceId: input.deviceId,
        name: input.name,
        deviceType: input.deviceType,
        siteId: site.siteId,
        ipAddress: input.ipAddress ?? null,
        config: input.config ?? null,
        segment: input.segment ?? segmentForType(input.deviceType),
        isSimulated: input.isSimulated ?? false,
        firmwareVersion: input.firmwareVersion ?? null,
        configVersion: input.configVersion ?? null,
        tags: normalizeTags(input.tags ?? []),
        status: "offline",
        apiKeyHash: key.hash,
        apiKeyPrefix: key.prefix,
        apiKeyCreatedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError(`device ${input.deviceId} already exists`);
    await startEpoch(tx, row, site.siteId, "registered", now);
    await recordAudit(
      ctx,
      {
        eventType: "device_registered",
        description: `Device ${row.deviceId} (${row.deviceType}) registered at site ${site.siteId}`,
        deviceId: row.id,
        siteId: site.id,
        newValues: {
          device_id: row.deviceId,
          name: row.name,
          device_type: row.deviceType,
          site_id: row.siteId,
          segment: row.segment,
          is_simulated: row.isSimulated,
          api_key_prefix: row.apiKeyPrefix,
        },
      },
      tx,
    );
    return row;
  });
  return { device, apiKey: key.key };
}
