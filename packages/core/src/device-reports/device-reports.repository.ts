import { type Db, deviceJobs, deviceLogs, devices, sites } from "@homepot/db";
import { and, asc, desc, eq, gt, inArray, type SQL } from "drizzle-orm";
import { findOne, insertOne, pageNewestFirst, updateOne } from "../rows.ts";

export type DeviceLogRow = typeof deviceLogs.$inferSelect;
export type DeviceJobRow = typeof deviceJobs.$inferSelect;

/** The reporting device with the keys audit rows reference (devices.id, sites.id). */
export async function findReportingDevice(db: Db, deviceId: string) {
  const [row] = await db
    .select({ id: devices.id, deviceId: devices.deviceId, isActive: devices.isActive, sitePk: sites.id })
    .from(devices)
    .leftJoin(sites, eq(sites.siteId, devices.siteId))
    .where(eq(devices.deviceId, deviceId))
    .limit(1);
  return row;
}

export async function insertDeviceLogs(db: Db, rows: (typeof deviceLogs.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(deviceLogs).values(rows);
}

export interface DeviceLogFilter {
  deviceId: string;
  afterId?: number;
  levels?: string[];
  limit: number;
}

/** Newest lines first, or (follow mode, `afterId`) the lines stored after that id, oldest first. */
export async function listDeviceLogRows(db: Db, f: DeviceLogFilter): Promise<{ rows: DeviceLogRow[]; lastId: number }> {
  const where: SQL[] = [eq(deviceLogs.deviceId, f.deviceId)];
  if (f.levels?.length) where.push(inArray(deviceLogs.level, f.levels));
  if (f.afterId !== undefined) where.push(gt(deviceLogs.id, f.afterId));
  const rows = await db
    .select()
    .from(deviceLogs)
    .where(and(...where))
    .orderBy(f.afterId !== undefined ? asc(deviceLogs.id) : desc(deviceLogs.id))
    .limit(f.limit);
  const [last] = await db
    .select({ id: deviceLogs.id })
    .from(deviceLogs)
    .where(eq(deviceLogs.deviceId, f.deviceId))
    .orderBy(desc(deviceLogs.id))
    .limit(1);
  return { rows, lastId: last?.id ?? 0 };
}

export function insertDeviceJob(db: Db, row: typeof deviceJobs.$inferInsert): Promise<DeviceJobRow> {
  return insertOne(db, deviceJobs, row);
}

export function findDeviceJob(db: Db, jobId: string): Promise<DeviceJobRow | undefined> {
  return findOne(db, deviceJobs, eq(deviceJobs.jobId, jobId));
}

export async function updateDeviceJobRow(
  db: Db,
  id: number,
  set: Partial<typeof deviceJobs.$inferInsert>,
): Promise<DeviceJobRow> {
  const row = await updateOne(db, deviceJobs, set, eq(deviceJobs.id, id));
  if (!row) throw new Error("update returned no row");
  return row;
}

export function listDeviceJobRows(
  db: Db,
  f: { deviceId: string; status?: string; limit: number; offset: number },
): Promise<{ rows: DeviceJobRow[]; total: number }> {
  const where = and(eq(deviceJobs.deviceId, f.deviceId), f.status ? eq(deviceJobs.status, f.status) : undefined);
  return pageNewestFirst(db, deviceJobs, deviceJobs.createdAt, where, f);
}
