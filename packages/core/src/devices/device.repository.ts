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
