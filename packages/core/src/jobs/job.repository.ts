import { type Db, devices, jobDevices, jobOutcomes, jobs, sites } from "@homepot/db";
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";

export type JobRow = typeof jobs.$inferSelect;
export type JobDeviceRow = typeof jobDevices.$inferSelect;
export type JobType = "config_update" | "restart" | "firmware_update" | "software_update" | "health_check";
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

/** Moves a job's device rows to `values` by row id. */
export async function updateJobDeviceRow(db: Db, rowId: number, values: Partial<JobDeviceRow>): Promise<void> {
  await db.update(jobDevices).set(values).where(eq(jobDevices.id, rowId));
}

// ---- The orchestrator's queries -------------------------------------------------------------------

/**
 * Claims one due job for `instanceId`: a pending job whose time has come (high → normal → low, then
 * oldest), or a `sent` job whose heartbeat is older than `staleBefore` (its instance died). SKIP LOCKED,
 * so instances sharing PostgreSQL never claim one job twice.
 */
export async function claimDueJob(
  db: Db,
  instanceId: string,
  now: Date,
  staleBefore: Date,
): Promise<JobRow | undefined> {
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      or(
        and(eq(jobs.status, "pending"), or(isNull(jobs.scheduledAt), lte(jobs.scheduledAt, now))),
        and(eq(jobs.status, "sent"), or(isNull(jobs.heartbeatAt), lt(jobs.heartbeatAt, staleBefore))),
      ),
    )
    .orderBy(
      sql`case ${jobs.priority} when 'high' then 0 when 'normal' then 1 else 2 end`,
      sql`coalesce(${jobs.scheduledAt}, ${jobs.createdAt})`,
      asc(jobs.id),
    )
    .limit(1)
    .for("update", { skipLocked: true });
  const [job] = await db
    .update(jobs)
    .set({
      status: "sent",
      claimedBy: instanceId,
      heartbeatAt: now,
      startedAt: sql`coalesce(${jobs.startedAt}, ${now.toISOString()}::timestamp)`,
      attempts: sql`${jobs.attempts} + 1`,
      updatedAt: now,
    })
    .where(inArray(jobs.id, due))
    .returning();
  return job;
}

/** Keeps the claim fresh; false when another instance took the job over (the claim is lost). */
export async function touchJobHeartbeat(db: Db, jobPk: number, instanceId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ heartbeatAt: now })
    .where(and(eq(jobs.id, jobPk), eq(jobs.claimedBy, instanceId)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Releases this instance's running jobs (graceful stop), so another instance resumes them at once. */
export async function releaseJobClaims(db: Db, instanceId: string): Promise<void> {
  await db
    .update(jobs)
    .set({ claimedBy: null, heartbeatAt: null })
    .where(and(eq(jobs.claimedBy, instanceId), eq(jobs.status, "sent")));
}

/** Releases one job after its run failed, noting why, so it is retried (up to the claim limit). */
export async function releaseFailedJobRun(db: Db, jobPk: number, instanceId: string, message: string): Promise<void> {
  await db
    .update(jobs)
    .set({ claimedBy: null, heartbeatAt: null, errorMessage: message.slice(0, 2000) })
    .where(and(eq(jobs.id, jobPk), eq(jobs.claimedBy, instanceId)));
}

/** A job's current status and message (a cancel may have changed them while it ran). */
export async function findJobStatus(db: Db, jobPk: number): Promise<{ status: string; errorMessage: string | null }> {
  const [row] = await db
    .select({ status: jobs.status, errorMessage: jobs.errorMessage })
    .from(jobs)
    .where(eq(jobs.id, jobPk))
    .limit(1);
  return row ?? { status: "missing", errorMessage: null };
}

/** Active devices a job targets: its explicit list, or its site (and segment), ordered by device id. */
export async function listJobTargets(
  db: Db,
  target: { deviceIds: string[] | null; siteKey: string | null; segment: string | null },
): Promise<string[]> {
  const { deviceIds, siteKey, segment } = target;
  if (!deviceIds && !siteKey) return [];
  const conds = [eq(devices.isActive, true)];
  if (deviceIds) conds.push(inArray(devices.deviceId, deviceIds.length ? deviceIds : [""]));
  if (siteKey) conds.push(eq(devices.siteId, siteKey));
  if (!deviceIds && segment) conds.push(eq(devices.segment, segment));
  const rows = await db
    .select({ deviceId: devices.deviceId })
    .from(devices)
    .where(and(...conds))
    .orderBy(asc(devices.deviceId));
  return rows.map((r) => r.deviceId);
}

/** Writes a job's progress rows (chunked: a fleet-wide job must stay under PostgreSQL's bind-parameter limit). */
export async function insertJobDevices(db: Db, jobId: string, batches: string[][]): Promise<void> {
  const rows = batches.flatMap((b, i) => b.map((deviceId) => ({ jobId, deviceId, batch: i, status: "pending" })));
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insert(jobDevices)
      .values(rows.slice(i, i + 2000))
      .onConflictDoNothing();
  }
}

/** Devices a release job leaves out, with why (batch 0, so they never add a batch or a pause). */
export async function insertSkippedJobDevices(
  db: Db,
  jobId: string,
  skipped: { deviceId: string; reason: string }[],
  now: Date,
): Promise<void> {
  for (let i = 0; i < skipped.length; i += 2000) {
    await db
      .insert(jobDevices)
      .values(
        skipped.slice(i, i + 2000).map((s) => ({
          jobId,
          deviceId: s.deviceId,
          batch: 0,
          status: "skipped",
          errorCode: "RELEASE_SKIP_001",
          errorMessage: s.reason,
          finishedAt: now,
        })),
      )
      .onConflictDoNothing();
  }
}

/** A device taken by a run that died before its command was queued goes back to pending. */
export async function resetUntakenJobDevices(db: Db, jobId: string): Promise<void> {
  await db
    .update(jobDevices)
    .set({ status: "pending" })
    .where(and(eq(jobDevices.jobId, jobId), eq(jobDevices.status, "sent"), isNull(jobDevices.commandId)));
}

/** Every device of the job not done yet → cancelled. */
export async function cancelOpenJobDevices(db: Db, jobId: string, now: Date): Promise<void> {
  await db
    .update(jobDevices)
    .set({ status: "cancelled", finishedAt: now })
    .where(and(eq(jobDevices.jobId, jobId), inArray(jobDevices.status, ["pending", "sent"])));
}

/** Every device still pending → skipped with this reason (the emergency stop). */
export async function skipPendingJobDevices(
  db: Db,
  jobId: string,
  now: Date,
  reason: { code: string; message: string },
): Promise<void> {
  await db
    .update(jobDevices)
    .set({ status: "skipped", errorCode: reason.code, errorMessage: reason.message, finishedAt: now })
    .where(and(eq(jobDevices.jobId, jobId), eq(jobDevices.status, "pending")));
}

/** Takes a pending device for one more attempt (guarded, so a racing instance never sends it twice). */
export async function takeJobDevice(db: Db, row: JobDeviceRow, now: Date): Promise<boolean> {
  const [taken] = await db
    .update(jobDevices)
    .set({
      status: "sent",
      commandId: null,
      attempts: row.attempts + 1,
      startedAt: row.startedAt ?? now,
      errorCode: null,
      errorMessage: null,
    })
    .where(and(eq(jobDevices.id, row.id), eq(jobDevices.status, "pending")))
    .returning({ id: jobDevices.id });
  return taken !== undefined;
}

export type JobOutcomeInsert = typeof jobOutcomes.$inferInsert;

/**
 * Writes a finished job's status and outcome rows, guarded by the claim (`claimed_by = instanceId`);
 * false when the claim was lost before finishing. Run it inside the caller's transaction.
 */
export async function closeJob(
  tx: Db,
  job: JobRow,
  instanceId: string,
  values: { status: JobStatus; errorMessage: string | null; now: Date },
  outcomes: JobOutcomeInsert[],
): Promise<boolean> {
  const updated = await tx
    .update(jobs)
    .set({
      status: values.status,
      errorMessage: values.errorMessage,
      completedAt: values.now,
      updatedAt: values.now,
      claimedBy: null,
      heartbeatAt: null,
    })
    .where(and(eq(jobs.id, job.id), eq(jobs.claimedBy, instanceId), inArray(jobs.status, ["sent", "cancelled"])))
    .returning({ id: jobs.id });
  if (updated.length === 0) return false;
  if (outcomes.length > 0) await tx.insert(jobOutcomes).values(outcomes);
  return true;
}
