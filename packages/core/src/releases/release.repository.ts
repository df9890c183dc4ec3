import { type Db, devices, jobDevices, jobs, releases, releaseUploads } from "@homepot/db";
import { and, count, desc, eq, gt, inArray, sql } from "drizzle-orm";

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

/** Active devices (of a compatible type) reporting the release's version. */
const runningIt = (release: ReleaseRow) =>
  and(
    eq(versionColumn(release.releaseType), release.version),
    eq(devices.isActive, true),
    release.deviceTypes.length ? inArray(devices.deviceType, release.deviceTypes) : undefined,
  );

/** Who still uses a release: jobs that deliver it, and active devices reporting its version. */
export async function releaseUsage(db: Db, release: ReleaseRow): Promise<{ jobs: number; installedOn: number }> {
  const [j] = await db.select({ n: count() }).from(jobs).where(eq(jobs.releaseId, release.releaseId));
  const [d] = await db.select({ n: count() }).from(devices).where(runningIt(release));
  return { jobs: Number(j?.n ?? 0), installedOn: Number(d?.n ?? 0) };
}

/** The first `limit` devices running a release and jobs delivering it (newest first), for its page. */
export async function releaseUsers(db: Db, release: ReleaseRow, limit: number) {
  const running = await db
    .select({ deviceId: devices.deviceId, name: devices.name, siteId: devices.siteId, status: devices.status })
    .from(devices)
    .where(runningIt(release))
    .orderBy(devices.deviceId)
    .limit(limit);
  const delivering = await db
    .select({ jobId: jobs.jobId, action: jobs.action, status: jobs.status, createdAt: jobs.createdAt })
    .from(jobs)
    .where(eq(jobs.releaseId, release.releaseId))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit);
  return { running, delivering };
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
