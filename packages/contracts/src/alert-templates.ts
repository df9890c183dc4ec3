import type { RuleConditionValue } from "./alerts.ts";

/**
 * Alert messages: a rule's template with `{name}` placeholders, or its condition's default. Here (not in core) so the
 * dashboard's rule editor previews a message with the very code the server renders it with.
 */

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

/** The variables a condition's message can use, with example values (the editor's preview and its hint). */
export function sampleVariables(
  c: RuleConditionValue,
  rule: { name: string; severity: string },
): Record<string, unknown> {
  const base = { rule: rule.name, severity: rule.severity, device_id: "pos-terminal-001", site_id: "site-001" };
  switch (c.type) {
    case "device_offline":
    case "collection_gap":
      return { ...base, minutes: c.minutes };
    case "device_error":
      return { ...base, reason: "Payment gateway timeout", status: "error", minutes: c.minutes };
    case "metric_threshold":
      return {
        ...base,
        metric: c.metric,
        value: c.operator === "above" ? c.value + 5 : c.value - 5,
        threshold: c.value,
        minutes: c.minutes,
      };
    case "anomaly":
      return { ...base, title: "CPU 97 % on pos-terminal-001 (4.2 σ above its usual)", value: 4.2 };
    case "failure_risk":
      return { ...base, title: "Failure risk 85 % for pos-terminal-001", value: 85 };
    case "job_failed":
      return {
        ...base,
        job_id: "job-1a2b3c4d",
        job_type: "config_update",
        status: "failed",
        reason: ": 3 of 12 devices failed",
      };
    case "command_expired":
      return { ...base, command_id: "cmd-5e6f7a8b", command_type: "REBOOT" };
    case "error_rate":
      return {
        rule: rule.name,
        severity: rule.severity,
        count: c.count,
        category: c.category,
        window_minutes: c.window_minutes,
        device_suffix: " (last from pos-terminal-001)",
      };
  }
}
