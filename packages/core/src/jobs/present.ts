import type { ConfigCheck } from "../config-history/config-history.repository.ts";
import type { DeviceReleaseProgress } from "../releases/list-release-progress.ts";
import type { ReleaseDeviceState } from "../releases/release-device-state.ts";
import { type JobDeviceRow, type JobRow, rolloutOf } from "./job.repository.ts";

/** The job as the API shows it. */
export function presentJob(j: JobRow, siteKey: string | null) {
  const rollout = rolloutOf(j);
  const { rollback_on_degradation, ...staged } = rollout;
  return {
    job_id: j.jobId,
    action: j.action,
    job_type: j.jobType,
    description: j.description,
    status: j.status,
    priority: j.priority,
    site_id: siteKey,
    segment: j.segment,
    device_ids: Array.isArray(j.deviceIds) ? (j.deviceIds as string[]) : null,
    config_url: j.configUrl,
    config_version: j.configVersion,
    release_id: j.releaseId,
    config_mode: j.jobType === "config_update" ? ("replace" as const) : null,
    payload: j.payload ?? null,
    rollout: staged.batches ? staged : null,
    rollback_on_degradation: rollback_on_degradation === true,
    error_message: j.errorMessage,
    created_by: j.createdBy,
    created_at: j.createdAt.toISOString(),
    scheduled_at: j.scheduledAt?.toISOString() ?? null,
    started_at: j.startedAt?.toISOString() ?? null,
    completed_at: j.completedAt?.toISOString() ?? null,
    updated_at: j.updatedAt.toISOString(),
  };
}
export type PresentedJob = ReturnType<typeof presentJob>;

export function presentJobDevice(
  d: JobDeviceRow,
  configCheck: ConfigCheck | null = null,
  release: (DeviceReleaseProgress & { state: ReleaseDeviceState; reason: string | null }) | null = null,
) {
  return {
    device_id: d.deviceId,
    batch: d.batch,
    status: d.status,
    command_id: d.commandId,
    attempts: d.attempts,
    error_code: d.errorCode,
    error_message: d.errorMessage,
    started_at: d.startedAt?.toISOString() ?? null,
    finished_at: d.finishedAt?.toISOString() ?? null,
    config_check: configCheck,
    release,
  };
}
