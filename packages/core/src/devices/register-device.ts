import { type Db, devices } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { findSiteBySiteId, type SiteRow } from "../sites/site.repository.ts";
import { type DeviceRow, findDeviceByDeviceId } from "./device.repository.ts";
import { assertDeviceNameFree, generateDeviceId } from "./device-identity.ts";
import { generateDeviceKey } from "./device-key.ts";
import { normalizeTags } from "./device-tags.ts";
import { startEpoch } from "./epoch.repository.ts";
import { segmentForType } from "./segment.ts";

export interface RegisterDeviceInput {
  /** Omitted: the server generates one from the type. */
  deviceId?: string | undefined;
  /** Omitted: the device id. */
  name?: string | undefined;
  deviceType: string;
  ipAddress?: string | null | undefined;
  config?: Record<string, unknown> | null | undefined;
  segment?: string | undefined;
  isSimulated?: boolean | undefined;
  firmwareVersion?: string | null | undefined;
  configVersion?: string | null | undefined;
  tags?: string[] | undefined;
  osDetails?: string | null | undefined;
  machineId?: string | null | undefined;
  macAddress?: string | null | undefined;
}

export interface Enrolment {
  method: "manual" | "claim" | "bootstrap";
  lifecycleState: "pending" | "active";
  /** Why the first epoch starts, e.g. "registered", "claimed intent …". */
  reason: string;
}

export interface RegisteredDevice {
  device: DeviceRow;
  apiKey: string;
  epochId: string;
}

/**
 * Registers a device at an active site and issues its API key. The key is returned once, here; only
 * its SHA-256 is stored. Simulated devices get keys too, so they exercise the same paths as real ones.
 * 404 for an unknown site, 409 when the device id exists (even soft-deleted: ids are never reused) or the
 * name is taken at the site (case-insensitively).
 */
export async function registerDevice(
  ctx: Context,
  siteId: string,
  input: RegisterDeviceInput,
): Promise<RegisteredDevice> {
  const site = await findSiteBySiteId(ctx.db, siteId);
  if (!site?.isActive) throw new NotFoundError(`site ${siteId} not found`);
  if (input.deviceId && (await findDeviceByDeviceId(ctx.db, input.deviceId)))
    throw new ConflictError(`device ${input.deviceId} already exists`);
  return ctx.db.transaction((tx) =>
    insertDevice(ctx, tx, site, input, { method: "manual", lifecycleState: "active", reason: "registered" }),
  );
}

/** The device row, its key and its first epoch, written inside the caller's transaction (registration, claim, bootstrap). */
export async function insertDevice(
  ctx: Context,
  tx: Db,
  site: SiteRow,
  input: RegisterDeviceInput,
  enrolment: Enrolment,
): Promise<RegisteredDevice> {
  const deviceId = input.deviceId ?? generateDeviceId(input.deviceType);
  const name = input.name?.trim() || deviceId;
  await assertDeviceNameFree(tx, site.siteId, name);
  const key = generateDeviceKey();
  const now = ctx.clock.now();
  const [row] = await tx
    .insert(devices)
    .values({
      deviceId,
      name,
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
      lifecycleState: enrolment.lifecycleState,
      enrolmentMethod: enrolment.method,
      osDetails: input.osDetails ?? null,
      machineId: input.machineId ?? null,
      macAddress: input.macAddress ?? null,
      apiKeyHash: key.hash,
      apiKeyPrefix: key.prefix,
      apiKeyCreatedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: devices.deviceId })
    .returning();
  if (!row) throw new ConflictError(`device ${deviceId} already exists`);
  const epochId = await startEpoch(tx, row, site.siteId, enrolment.reason, now);
  await recordAudit(
    ctx,
    {
      eventType: "device_registered",
      description: `Device ${row.deviceId} (${row.deviceType}) ${enrolment.method === "manual" ? "registered" : `enrolled by ${enrolment.method}`} at site ${site.siteId}`,
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
        lifecycle_state: row.lifecycleState,
        enrolment_method: row.enrolmentMethod,
        epoch_id: epochId,
      },
    },
    tx,
  );
  return { device: row, apiKey: key.key, epochId };
}
