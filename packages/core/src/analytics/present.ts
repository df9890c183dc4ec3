import type {
  apiRequestLogs,
  auditLogs,
  configurationHistory,
  deviceMetrics,
  deviceStateHistory,
  errorLogs,
  healthChecks,
  jobOutcomes,
  siteOperatingSchedules,
  userActivities,
} from "@homepot/db";
import { scheduleSnapshot } from "../schedules/present.ts";

// The analytics rows as the API answers them (SPEC §3 field names, ISO timestamps).

type ErrorLogRow = typeof errorLogs.$inferSelect;

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** A client-supplied event time, never in the future (a skewed browser clock must not poison freshness). */
export function clampTimestamp(client: Date | undefined, now: Date): Date {
  if (!client || client.getTime() > now.getTime()) return now;
  return client;
}

export function presentErrorLog(r: ErrorLogRow) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    category: r.category,
    severity: r.severity,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    stack_trace: r.stackTrace,
    endpoint: r.endpoint,
    user_id: r.userId,
    device_id: r.deviceId,
    context: r.context,
    resolved: r.resolved,
    resolved_at: iso(r.resolvedAt),
    resolved_by: r.resolvedBy,
  };
}

export function presentApiRequest(r: typeof apiRequestLogs.$inferSelect, username: string | null = null) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    endpoint: r.endpoint,
    route: r.route,
    method: r.method,
    status_code: r.statusCode,
    response_time_ms: r.responseTimeMs,
    user_id: r.userId,
    username,
    device_id: r.deviceId,
    ip_address: r.ipAddress,
    user_agent: r.userAgent,
    error_message: r.errorMessage,
    request_size_bytes: r.requestSizeBytes,
    response_size_bytes: r.responseSizeBytes,
  };
}

export function presentAuditLog(r: typeof auditLogs.$inferSelect, username: string | null = null) {
  return {
    id: r.id,
    created_at: r.createdAt.toISOString(),
    event_type: r.eventType,
    description: r.description,
    user_id: r.userId,
    username,
    job_id: r.jobId,
    device_id: r.deviceId,
    site_id: r.siteId,
    old_values: r.oldValues,
    new_values: r.newValues,
    event_metadata: r.eventMetadata,
    ip_address: r.ipAddress,
    user_agent: r.userAgent,
  };
}

export function presentConfigChange(r: typeof configurationHistory.$inferSelect) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    entity_type: r.entityType,
    entity_id: r.entityId,
    parameter_name: r.parameterName,
    old_value: r.oldValue,
    new_value: r.newValue,
    changed_by: r.changedBy,
    change_reason: r.changeReason,
    change_type: r.changeType,
    performance_before: r.performanceBefore,
    performance_after: r.performanceAfter,
    was_successful: r.wasSuccessful,
    was_rolled_back: r.wasRolledBack,
    rollback_reason: r.rollbackReason,
    job_id: r.jobId,
  };
}

export function presentDeviceMetric(r: typeof deviceMetrics.$inferSelect) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    device_id: r.deviceId,
    cpu_percent: r.cpuPercent,
    memory_percent: r.memoryPercent,
    disk_percent: r.diskPercent,
    network_latency_ms: r.networkLatencyMs,
    transaction_count: r.transactionCount,
    transaction_volume: r.transactionVolume,
    error_rate: r.errorRate,
    active_connections: r.activeConnections,
    queue_depth: r.queueDepth,
    extra_metrics: r.extraMetrics,
  };
}

export function presentDeviceState(r: typeof deviceStateHistory.$inferSelect) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    device_id: r.deviceId,
    previous_state: r.previousState,
    new_state: r.newState,
    changed_by: r.changedBy,
    reason: r.reason,
    extra_data: r.extraData,
  };
}

/** `deviceCode` is the device's device_id; health_checks references devices.id. */
export function presentHealthCheck(r: typeof healthChecks.$inferSelect, deviceCode: string | null) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    device_id: deviceCode,
    device_pk: r.deviceId,
    is_healthy: r.isHealthy,
    response_time_ms: r.responseTimeMs,
    status_code: r.statusCode,
    endpoint: r.endpoint,
    response_data: r.responseData,
    error_message: r.errorMessage,
  };
}

export function presentJobOutcome(r: typeof jobOutcomes.$inferSelect) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    job_id: r.jobId,
    job_type: r.jobType,
    device_id: r.deviceId,
    status: r.status,
    duration_ms: r.durationMs,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    retry_count: r.retryCount,
    initiated_by: r.initiatedBy,
    extra_data: r.extraData,
  };
}

export function presentSiteSchedule(r: typeof siteOperatingSchedules.$inferSelect) {
  return {
    id: r.id,
    site_id: r.siteId,
    ...scheduleSnapshot(r),
    special_considerations: r.specialConsiderations,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

export function presentUserActivity(r: typeof userActivities.$inferSelect, username: string | null = null) {
  return {
    id: r.id,
    timestamp: r.timestamp.toISOString(),
    user_id: r.userId,
    username,
    session_id: r.sessionId,
    activity_type: r.activityType,
    page_url: r.pageUrl,
    element_id: r.elementId,
    search_query: r.searchQuery,
    extra_data: r.extraData,
    duration_ms: r.durationMs,
  };
}
