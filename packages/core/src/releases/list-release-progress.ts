import { type Db, deviceCommands, releaseDownloads, releases } from "@homepot/db";
import { and, eq, inArray } from "drizzle-orm";

export interface DeviceReleaseProgress {
  downloaded_bytes: number;
  size_bytes: number;
  percent: number;
  /** What the agent reported: installed | downloaded (no install hook) | rolled_back | refused; null while running. */
  install_result: string | null;
  installed_version: string | null;
}

const str = (v: unknown) => (typeof v === "string" ? v.slice(0, 200) : null);

/**
 * Per device of a release job: how far its download got (release_downloads) and what its command reported
 * (the agent's `outcome` and `installed_version`).
 */
export async function listReleaseProgress(
  db: Db,
  jobId: string,
  releaseId: string,
  commandIds: string[],
): Promise<Map<string, DeviceReleaseProgress>> {
  const [release] = await db
    .select({ size: releases.sizeBytes })
    .from(releases)
    .where(eq(releases.releaseId, releaseId))
    .limit(1);
  const size = release?.size ?? 0;
  const downloads = await db
    .select({ deviceId: releaseDownloads.deviceId, highWater: releaseDownloads.highWater })
    .from(releaseDownloads)
    .where(and(eq(releaseDownloads.releaseId, releaseId), eq(releaseDownloads.jobId, jobId)));
  const results = commandIds.length
    ? await db
        .select({ deviceId: deviceCommands.deviceId, result: deviceCommands.result })
        .from(deviceCommands)
        .where(inArray(deviceCommands.commandId, commandIds))
    : [];
  const out = new Map<string, DeviceReleaseProgress>();
  const entry = (deviceId: string) => {
    let e = out.get(deviceId);
    if (!e) {
      e = { downloaded_bytes: 0, size_bytes: size, percent: 0, install_result: null, installed_version: null };
      out.set(deviceId, e);
    }
    return e;
  };
  for (const d of downloads) {
    const e = entry(d.deviceId);
    e.downloaded_bytes = Math.min(d.highWater, size);
    e.percent = size ? Math.round((e.downloaded_bytes / size) * 1000) / 10 : 0;
  }
  for (const c of results) {
    const r = c.result && typeof c.result === "object" ? (c.result as Record<string, unknown>) : {};
    const e = entry(c.deviceId);
    e.install_result = str(r.outcome);
    e.installed_version = str(r.installed_version);
  }
  return out;
}
