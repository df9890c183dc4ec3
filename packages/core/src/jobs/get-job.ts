import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { findJobByJobId, listJobDevices, siteKeysById } from "./job.repository.ts";
import { presentJob, presentJobDevice } from "./present-job.ts";

/** A job with its per-device progress; throws NotFoundError. */
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
  return {
    ...presentJob(job, job.siteId === null ? null : (keys.get(job.siteId) ?? null)),
    progress,
    devices: devices.map(presentJobDevice),
  };
}
