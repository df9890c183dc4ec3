import { jobDevices, jobOutcomes, jobs } from "@homepot/db";
import { and, eq, inArray } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import { cancelPendingCommandsOfJob } from "../commands/command.repository.ts";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { type JobRow, siteKeysById } from "./job.repository.ts";

/**
 * Cancels a pending or running job: devices not yet done are cancelled, commands no device has picked up
 * are withdrawn. A running job's orchestrator notices and writes the outcome; a job that never started
 * gets its outcome here.
 */
export async function cancelJob(ctx: Context, jobId: string, reason?: string): Promise<JobRow> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (tx) => {
    const [job] = await tx.select().from(jobs).where(eq(jobs.jobId, jobId)).for("update").limit(1);
    if (!job) throw new NotFoundError(`Job ${jobId} not found`);
    if (job.status !== "pending" && job.status !== "sent") {
      throw new ConflictError(`Job ${jobId} is already ${job.status}`);
    }
    const message = `Cancelled by ${ctx.actor.kind === "user" ? ctx.actor.username : "system"}${reason ? `: ${reason}` : ""}`;
    const [updated] = await tx
      .update(jobs)
      .set({ status: "cancelled", errorMessage: message, completedAt: now, updatedAt: now })
      .where(eq(jobs.id, job.id))
      .returning();
    await tx
      .update(jobDevices)
      .set({ status: "cancelled", finishedAt: now })
      .where(and(eq(jobDevices.jobId, jobId), inArray(jobDevices.status, ["pending"])));
    await cancelPendingCommandsOfJob(tx, jobId, now);
    if (job.status === "pending") {
      const keys = await siteKeysById(tx, [job.siteId]);
      await tx.insert(jobOutcomes).values({
        timestamp: now,
        jobId,
        jobType: job.jobType,
        status: "cancelled",
        durationMs: 0,
        errorMessage: message,
        retryCount: 0,
        initiatedBy: job.createdBy === null ? "system" : String(job.createdBy),
        extraData: {
          total_devices: 0,
          successful: 0,
          failed: 0,
          site_id: job.siteId === null ? null : (keys.get(job.siteId) ?? null),
          segment: job.segment,
        },
      });
    }
    await recordAudit(
      ctx,
      {
        eventType: "job_cancelled",
        description: `Job ${jobId} cancelled`,
        jobId: job.id,
        siteId: job.siteId,
        oldValues: { status: job.status },
        newValues: { status: "cancelled", reason: reason ?? null },
      },
      tx,
    );
    if (!updated) throw new Error("job update returned nothing");
    return updated;
  });
  return result;
}
