import type { EpochRow } from "../devices/epoch.repository.ts";
import type { LifecycleEventRow } from "./get-device-lifecycle.ts";
import type { TransitionResult } from "./record-transition.ts";

export function presentEpoch(e: EpochRow) {
  return {
    epoch_id: e.id,
    site_id: e.siteId,
    started_at: e.startedAt.toISOString(),
    ended_at: e.endedAt?.toISOString() ?? null,
    reason: e.reason,
  };
}

export function presentLifecycleEvent(e: LifecycleEventRow) {
  return {
    id: e.id,
    timestamp: e.timestamp.toISOString(),
    action: e.action,
    from_state: e.fromState,
    to_state: e.toState,
    site_id: e.siteId,
    epoch_id: e.epochId,
    reason: e.reason,
    changed_by: e.changedBy,
  };
}

const DONE: Record<string, string> = {
  suspend: "suspended",
  resume: "resumed",
  unpair: "unpaired",
  reenrol: "re-enrolled",
  transfer: "transferred",
};

/** The answer of a transition, in the original HOMEPOT's shape `{status, message, device_id}` and more. */
export function presentTransition(action: string, r: TransitionResult) {
  const d = r.device;
  const where = action === "reenrol" || action === "transfer" ? ` to site '${d.siteId}'` : "";
  return {
    success: true as const,
    status: "success" as const,
    message: r.replayed
      ? `Device '${d.deviceId}' already ${DONE[action] ?? action}${where}`
      : `Device '${d.deviceId}' ${DONE[action] ?? action}${where}`,
    device_id: d.deviceId,
    lifecycle_state: d.lifecycleState,
    site_id: d.siteId,
    epoch_id: r.epochId,
    replayed: r.replayed,
    ...(r.apiKey ? { api_key: r.apiKey } : {}),
    ...(action === "transfer" ? { target_site_id: d.siteId } : {}),
  };
}
