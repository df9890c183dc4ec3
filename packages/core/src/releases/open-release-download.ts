import { devices, releaseDownloads } from "@homepot/db";
import { and, eq, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { osFamilyOf } from "../permissions/os-family.ts";
import { skipReason } from "./compatibility.ts";
import { getRelease } from "./get-release.ts";
import { findAssigningJob, type ReleaseRow } from "./release.repository.ts";
import type { ReleaseStore } from "./release-store.ts";

export interface ReleaseDownload {
  release: ReleaseRow;
  path: string;
  /** The job that assigned it (device downloads), for the job page's progress. */
  jobId: string | null;
}

/**
 * What may be downloaded: a user (operator) any release; a device only a release it is compatible with and that
 * a job of its is delivering to it now (403 says which is missing).
 */
export async function openReleaseDownload(
  ctx: Context,
  store: ReleaseStore,
  releaseId: string,
): Promise<ReleaseDownload> {
  const release = await getRelease(ctx, releaseId);
  const path = store.blobPath(release.sha256);
  if (ctx.actor.kind !== "device") return { release, path, jobId: null };
  const deviceId = ctx.actor.deviceId;
  const [device] = await ctx.db
    .select({ deviceType: devices.deviceType, osFamily: devices.osFamily, osDetails: devices.osDetails })
    .from(devices)
    .where(and(eq(devices.deviceId, deviceId), eq(devices.isActive, true)))
    .limit(1);
  if (!device) throw new NotFoundError(`Device ${deviceId} not found`);
  const reason = skipReason(
    {
      deviceTypes: release.deviceTypes,
      osFamilies: release.osFamilies,
      minCurrentVersion: null,
      version: release.version,
    },
    { deviceType: device.deviceType, installed: null, osFamily: osFamilyOf(device.osFamily, device.osDetails) },
  );
  if (reason) throw new ForbiddenError(`Release ${releaseId} is ${reason}`);
  const jobId = await findAssigningJob(ctx.db, releaseId, deviceId);
  if (!jobId) throw new ForbiddenError(`No job of device ${deviceId} is delivering release ${releaseId} now`);
  return { release, path, jobId };
}

/** Adds what one response served to the device's download row (bytes, furthest offset, requests). */
export async function recordReleaseDownload(
  ctx: Context,
  d: { releaseId: string; deviceId: string; jobId: string | null; bytes: number; end: number },
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db
    .insert(releaseDownloads)
    .values({
      releaseId: d.releaseId,
      deviceId: d.deviceId,
      jobId: d.jobId,
      bytesServed: d.bytes,
      highWater: d.end,
      requests: 1,
      startedAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [releaseDownloads.releaseId, releaseDownloads.deviceId],
      set: {
        jobId: d.jobId,
        bytesServed: sql`${releaseDownloads.bytesServed} + ${d.bytes}`,
        highWater: sql`greatest(${releaseDownloads.highWater}, ${d.end})`,
        requests: sql`${releaseDownloads.requests} + 1`,
        updatedAt: now,
      },
    });
}
