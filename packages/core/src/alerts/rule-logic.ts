import type { RuleConditionValue, RuleScopeValue } from "@homepot/contracts/alerts";

/** What a rule's scope is matched against. */
export interface DeviceFacts {
  deviceId: string;
  siteId: string;
  segment: string;
  tags: readonly string[];
}

/** Whether a device is inside a rule's scope (every non-empty list must match). */
export function inScope(scope: Partial<RuleScopeValue>, d: DeviceFacts): boolean {
  if (scope.device_ids?.length && !scope.device_ids.includes(d.deviceId)) return false;
  if (scope.site_ids?.length && !scope.site_ids.includes(d.siteId)) return false;
  if (scope.segments?.length && !scope.segments.includes(d.segment)) return false;
  if (scope.tags?.length && !scope.tags.some((t) => d.tags.includes(t))) return false;
  return true;
}

/** Whether a scope only names sites (or nothing), so events without a device (jobs) can match it. */
export function siteInScope(scope: Partial<RuleScopeValue>, siteId: string | null): boolean {
  if (scope.device_ids?.length || scope.segments?.length || scope.tags?.length) return false;
  return !scope.site_ids?.length || (siteId !== null && scope.site_ids.includes(siteId));
}

/** `{name}` placeholders filled from `vars`; unknown ones stay as written. */
export function renderTemplate(template: string, vars: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
    const v = vars[key];
    return v === undefined || v === null ? whole : String(v);
  });
}

const METRIC_LABELS: Record<string, string> = {
  cpu_percent: "CPU",
  memory_percent: "memory",
  disk_percent: "disk",
  network_latency_ms: "network latency",
  transaction_count: "transactions",
  transaction_volume: "transaction volume",
  error_rate: "error rate",
  active_connections: "active connections",
  queue_depth: "queue depth",
};

/** The default message of a condition, when the rule has no template. */
export function defaultTemplate(c: RuleConditionValue): string {
  switch (c.type) {
    case "device_offline":
      return "{device_id} at {site_id} has been offline for {minutes} min";
    case "device_error":
      return "{device_id} at {site_id} is in error: {reason}";
    case "metric_threshold":
      return `{device_id}: ${METRIC_LABELS[c.metric] ?? c.metric} is {value}, ${c.operator} {threshold} for {minutes} min`;
    case "anomaly":
      return "{title}";
    case "failure_risk":
      return "{device_id}: failure risk {value} % in the next 24 h";
    case "job_failed":
      return "Job {job_id} {status}{reason}";
    case "command_expired":
      return "Command {command_type} ({command_id}) to {device_id} expired before the device answered";
    case "error_rate":
      return "{count} {category} errors in {window_minutes} min{device_suffix}";
    case "collection_gap":
      return "No data from {device_id} at {site_id} for {minutes} min";
  }
}

/** Whether a metric value breaks a threshold condition. */
export function breaches(c: { operator: "above" | "below"; value: number }, v: number): boolean {
  return c.operator === "above" ? v > c.value : v < c.value;
}

export const SEVERITY_RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };
