import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.ts";
import { type DeviceJobRow, findDeviceJob, updateDeviceJobRow } from "./device-reports.repository.ts";
import { reportingDevice } from "./reporting-device.ts";

export interface UpdateDeviceJobInput {
  device_id: string;
  status: "running" | "completed" | "failed";
  result?: Record<string, unknown> | null;
  error_message?: string | null;
}

/**
 * `PUT /agent/jobs/{job_id}`: pending → running → completed | failed. Another device's job is a 403 (the
 * original's answer); a finished job takes the same outcome again (a retry) and refuses another (409).
 */
export async function updateDeviceJob(ctx: Context, jobId: string, input: UpdateDeviceJobInput): Promise<DeviceJobRow> {
  const device = await reportingDevice(ctx, [input.device_id]);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const job = await findDeviceJob(tx, jobId);
    if (!job) throw new NotFoundError("Job not found");
    if (job.deviceId !== device.deviceId) throw new ForbiddenError("Job does not belong to this device");
    const finished = job.status === "completed" || job.status === "failed";
    if (finished) {
      if (job.status === input.status) return job;
      throw new ConflictError(`Job ${jobId} is already ${job.status}`);
    }
    const done = input.status !== "running";
    const updated = await updateDeviceJobRow(tx, job.id, {
      status: input.status,
      result: input.result ?? job.result,
      errorMessage: input.error_message ?? (input.status === "failed" ? "no reason given" : null),
      startedAt: job.startedAt ?? now,
      updatedAt: now,
      completedAt: done ? now : null,
    });
    await recordAudit(
      ctx,
      {
        eventType: `device_job_${input.status}`,
        description: `Device ${device.deviceId} job ${jobId} (${job.action}): ${job.status} → ${input.status}`,
        deviceId: device.id,
        siteId: device.sitePk ?? null,
        oldValues: { status: job.status },
        newValues: { status: input.status, error_message: updated.errorMessage },
      },
      tx,
    );
    return updated;
  });
}
