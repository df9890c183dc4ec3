import type { DeviceJobRow, DeviceLogRow } from "./device-reports.repository.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentDeviceLog(r: DeviceLogRow) {
  return {
    id: r.id,
    device_id: r.deviceId,
    timestamp: r.timestamp.toISOString(),
    received_at: r.receivedAt.toISOString(),
    level: r.level,
    category: r.category,
    message: r.message,
    context: r.context,
  };
}

export function presentDeviceJob(r: DeviceJobRow) {
  return {
    job_id: r.jobId,
    device_id: r.deviceId,
    action: r.action,
    description: r.description,
    priority: r.priority,
    payload: r.payload,
    status: r.status,
    result: r.result,
    error_message: r.errorMessage,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    completed_at: iso(r.completedAt),
  };
}
