import { randomUUID } from "node:crypto";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { parseTime } from "../telemetry/ingest-metrics.ts";
import { type DeviceJobRow, insertDeviceJob } from "./device-reports.repository.ts";
import { reportingDevice } from "./reporting-device.ts";

export interface ReportDeviceJobInput {
  device_id: string;
  action: string;
  description?: string | null;
  priority: string;
  payload?: Record<string, unknown> | null;
  timestamp?: string | null;
}

/**
 * `POST /agent/jobs`: work the device starts on its own (not the orchestrator's site jobs): a pending record the
 * device later completes or fails with `PUT /agent/jobs/{job_id}`. Audited.
 */
export async function reportDeviceJob(ctx: Context, input: ReportDeviceJobInput): Promise<DeviceJobRow> {
  const device = await reportingDevice(ctx, [input.device_id]);
  const now = ctx.clock.now();
  const at = input.timestamp ? parseTime(input.timestamp, "timestamp", now) : now;
  return ctx.db.transaction(async (tx) => {
    const job = await insertDeviceJob(tx, {
      jobId: randomUUID(),
      deviceId: device.deviceId,
      action: input.action,
      description: input.description ?? null,
      priority: input.priority,
      payload: input.payload ?? null,
      status: "pending",
      createdAt: at,
      updatedAt: now,
    });
    await recordAudit(
      ctx,
      {
        eventType: "device_job_reported",
        description: `Device ${device.deviceId} started job ${job.jobId}: ${job.action}`,
        deviceId: device.id,
        siteId: device.sitePk ?? null,
        newValues: { job_id: job.jobId, action: job.action, status: job.status, priority: job.priority },
      },
      tx,
    );
    return job;
  });
}
