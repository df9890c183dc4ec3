import { type ConfigCheck, listJobConfigChecks } from "../config-history/config-history.repository.ts";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { type DeviceReleaseProgress, listReleaseProgress } from "../releases/list-release-progress.ts";
import { releaseDeviceState } from "../releases/release-device-state.ts";
import { findJobByJobId, listJobDevices, siteKeysById } from "./job.repository.ts";
import { presentJob, presentJobDevice } from "./present.ts";

const emptyProgress: DeviceReleaseProgress = {
  downloaded_bytes: 0,
  size_bytes: 0,
  percent: 0,
  install_result: null,
  installed_version: null,
};

/**
 * A job with its per-device progress; throws NotFoundError. A config job also says where the
 * closed-loop check of each device's change stands, so a job whose devices all "succeeded" but whose
 * change degraded them does not look like a plain success.
 */
export async function getJob(ctx: Context, jobId: string) {
  const job = await findJobByJobId(ctx.db, jobId);
  if (!job) throw new NotFoundError(`Job ${jobId} not found`);
  const devices = await listJobDevices(ctx.db, jobId);
  const keys = await siteKeysById(ctx.db, [job.siteId]);
  const progress = { total: devices.length, pending: 0, sent: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const d of devices) {
    const k = d.status as keyof typeof progress;
    if (k in progress && k !== "total") progress[k] += 1;
  }
  const isConfig = job.jobType === "config_update";
  const checks = isConfig ? await listJobConfigChecks(ctx.db, jobId) : new Map<string, ConfigCheck>();
  const configChecks = isConfig
    ? { changed: checks.size, waiting: 0, successful: 0, unsuccessful: 0, rolled_back: 0 }
    : null;
  if (configChecks) {
    for (const check of checks.values()) {
      if (check === "rolled_back") {
        configChecks.rolled_back += 1;
        configChecks.unsuccessful += 1;
      } else configChecks[check] += 1;
    }
  }
  const releaseProgress = job.releaseId
    ? await listReleaseProgress(
        ctx.db,
        jobId,
        job.releaseId,
        devices.flatMap((d) => (d.commandId ? [d.commandId] : [])),
      )
    : undefined;
  return {
    ...presentJob(job, job.siteId === null ? null : (keys.get(job.siteId) ?? null)),
    progress,
    config_checks: configChecks,
    devices: devices.map((d) => {
      const release = releaseProgress ? (releaseProgress.get(d.deviceId) ?? emptyProgress) : null;
      return presentJobDevice(
        d,
        checks.get(d.deviceId) ?? null,
        release && {
          ...release,
          ...releaseDeviceState({
            status: d.status,
            errorMessage: d.errorMessage,
            downloadedBytes: release.downloaded_bytes,
            sizeBytes: release.size_bytes,
            installResult: release.install_result,
          }),
        },
      );
    }),
  };
}
