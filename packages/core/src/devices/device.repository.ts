import { type Db, devices, sites } from "@homepot/db";
import { eq } from "drizzle-orm";

export type DeviceRow = typeof devices.$inferSelect;

export async function findDeviceByDeviceId(db: Db, deviceId: string): Promise<DeviceRow | undefined> {
  const [row] = await db.select().from(devices).where(eq(devices.deviceId, deviceId)).limit(1);
  return row;
}

/** The device row locked for update inside a transaction. */
export async function lockDevice(tx: Db, deviceId: string): Promise<DeviceRow | undefined> {
  const [row] = await tx.select().from(devices).where(eq(devices.deviceId, deviceId)).for("update").limit(1);
  return row;
}

export async function findDeviceWithSite(
  db: Db,
  deviceId: string,
): Promise<{ device: DeviceRow; siteName: string | null } | undefined> {
  const [row] = await db
    .select({ device: devices, siteName: sites.name })
    .from(devices)
    .leftJoin(sites, eq(sites.siteId, devices.siteId))
    .where(eq(devices.deviceId, deviceId))
    .limit(1);
  return row ? { device: row.device, siteName: row.siteName ?? null } : undefined;
}

/** The device as the API shows it: never the key hash. */
export function presentDevice(d: DeviceRow, siteName?: string | null) {
  return {
    id: d.id,
    device_id: d.deviceId,
    name: d.name,
    device_type: d.deviceType,
    status: d.status,
    site_id: d.siteId,
    ip_address: d.ipAddress,
    config: d.config ?? null,
    is_active: d.isActive,
    last_seen: d.lastSeen?.toISOString() ?? null,
    segment: d.segment,
    is_simulated: d.isSimulated,
    config_version: d.configVersion,
    firmware_version: d.firmwareVersion,
    api_key_prefix: d.apiKeyPrefix,
    api_key_created_at: d.apiKeyCreatedAt?.toISOString() ?? null,
    tags: d.tags,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
    ...(siteName === undefined ? {} : { site_name: siteName }),
  };
}
