import { type Db, jobDevices, jobs, sites } from "@homepot/db";
import { and, asc, eq, sql } from "drizzle-orm";

export type JobRow = typeof jobs.$inferSelect;
export type JobDeviceRow = typeof jobDevices.$inferSelect;
export type JobType = "config_update" | "restart" | "firmware_update" | "health_check";
export type JobStatus = "pending" | "sent" | "completed" | "partial" | "failed" | "cancelled";
export type JobDeviceStatus = "pending" | "sent" | "succeeded" | "failed" | "skipped" | "cancelled";
export const finishedJobStatuses: readonly JobStatus[] = ["completed", "partial", "failed", "cancelled"];

/** Batches, pause and threshold of a staged rollout, plus the closed-loop rollback flag (stored in jobs.rollout). */
export interface RolloutPolicy {
  batches?: (number | string)[];
  pause_s?: number;
  error_threshold?: number;
  rollback_on_degradation?: boolean;
}

export function rolloutOf(job: Pick<JobRow, "rollout">): RolloutPolicy {
  const r = job.rollout;
  return r && typeof r === "object" && !Array.isArray(r) ? (r as RolloutPolicy) : {};
}

export async function findJobByJobId(db: Db, jobId: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.jobId, jobId)).limit(1);
  return row;
}

/** A job's per-device progress rows, optionally of one batch only. */
export async function listJobDevices(db: Db, jobId: string, batch?: number): Promise<JobDeviceRow[]> {
  const where =
    batch === undefined ? eq(jobDevices.jobId, jobId) : and(eq(jobDevices.jobId, jobId), eq(jobDevices.batch, batch));
  return db.select().from(jobDevices).where(where).orderBy(asc(jobDevices.batch), asc(jobDevices.deviceId));
}

/** The string site id (`site-001`) of each job's integer site reference. */
export async function siteKeysById(db: Db, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: sites.id, siteId: sites.siteId })
    .from(sites)
    .where(
      sql`${sites.id} in (${sql.join(
        wanted.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
  return new Map(rows.map((r) => [r.id, r.siteId]));
}

export async function updateJobDevice(
  db: Db,
  jobId: string,
  deviceId: string,
  values: Partial<JobDeviceRow>,
): Promise<void> {
  await db
    .update(jobDevices)
    .set(values)
    .where(and(eq(jobDevices.jobId, jobId), eq(jobDevices.deviceId, deviceId)));
}

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

export function presentJobDevice(d: JobDeviceRow) {
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
  };
}
