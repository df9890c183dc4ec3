import { type Db, devices, jobDevices, jobs, releases, releaseUploads } from "@homepot/db";
import { and, count, eq, gt, inArray, sql } from "drizzle-orm";

export type ReleaseRow = typeof releases.$inferSelect;
export type UploadRow = typeof releaseUploads.$inferSelect;

export async function findRelease(db: Db, releaseId: string): Promise<ReleaseRow | undefined> {
  const [row] = await db.select().from(releases).where(eq(releases.releaseId, releaseId)).limit(1);
  return row;
}

export async function findUpload(db: Db, uploadId: string): Promise<UploadRow | undefined> {
  const [row] = await db.select().from(releaseUploads).where(eq(releaseUploads.uploadId, uploadId)).limit(1);
  return row;
}

/** Bytes the repository holds or has promised: each distinct blob once, plus the declared size of open uploads. */
export async function committedBytes(db: Db, now: Date): Promise<number> {
  const [blobs] = await db
    .select({ n: sql<string>`coalesce(sum(b.size_bytes), 0)` })
    .from(sql`(select distinct on (${releases.sha256}) ${releases.sizeBytes} from ${releases}) as b`);
  const [open] = await db
    .select({ n: sql<string>`coalesce(sum(${releaseUploads.sizeBytes}), 0)` })
    .from(releaseUploads)
    .where(and(eq(releaseUploads.status, "open"), gt(releaseUploads.expiresAt, now)));
  return Number(blobs?.n ?? 0) + Number(open?.n ?? 0);
}

/** The device column holding the installed version of a release type. */
export const versionColumn = (type: string) =>
  type === "firmware" ? devices.firmwareVersion : devices.softwareVersion;

/** Who still uses a release: jobs that deliver it, and active devices reporting its version. */
export async function releaseUsage(db: Db, release: ReleaseRow): Promise<{ jobs: number; installedOn: number }> {
  const [j] = await db.select({ n: count() }).from(jobs).where(eq(jobs.releaseId, release.releaseId));
  const typeCond = release.deviceTypes.length ? inArray(devices.deviceType, release.deviceTypes) : undefined;
  const [d] = await db
    .select({ n: count() })
    .from(devices)
    .where(and(eq(versionColumn(release.releaseType), release.version), eq(devices.isActive, true), typeCond));
  return { jobs: Number(j?.n ?? 0), installedOn: Number(d?.n ?? 0) };
}

/** The job (still waiting for this device) that assigns `releaseId` to `deviceId`, if any. */
export async function findAssigningJob(db: Db, releaseId: string, deviceId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ jobId: jobs.jobId })
    .from(jobDevices)
    .innerJoin(jobs, eq(jobs.jobId, jobDevices.jobId))
    .where(and(eq(jobs.releaseId, releaseId), eq(jobDevices.deviceId, deviceId), eq(jobDevices.status, "sent")))
    .limit(1);
  return row?.jobId;
}
