/** The command types an operator picks from, with a payload to start from (the payload builder's example). */
export const COMMAND_TYPES: { value: string; label: string; example: Record<string, unknown> }[] = [
  { value: "ping", label: "Ping", example: {} },
  { value: "run_health_check", label: "Health check", example: {} },
  { value: "restart", label: "Restart the POS app", example: {} },
  { value: "reboot", label: "Reboot the device", example: {} },
  {
    value: "update_config",
    label: "Update configuration",
    example: { config_version: "{{version}}", config: { payment_timeout_s: 45 } },
  },
  { value: "restart_agent", label: "Restart the agent", example: {} },
  { value: "update_firmware", label: "Update firmware", example: { firmware_version: "{{version}}" } },
  { value: "status_request", label: "Status request", example: {} },
  {
    value: "run_command",
    label: "Run a command",
    example: { command: "systemctl restart {{service}}", timeout_s: 60 },
  },
  { value: "run_script", label: "Run a script", example: { script: "#!/bin/sh\necho {{message}}\n", timeout_s: 120 } },
  { value: "request_permission", label: "Request a permission", example: { permission: "command_execution" } },
];

export const COMMAND_STATUSES = ["pending", "sent", "succeeded", "failed", "expired", "cancelled"] as const;

/** What a template or a "save as template" starts from. */
export interface TemplateDraft {
  template_id?: string;
  name: string;
  description: string;
  command_type: string;
  payload: Record<string, unknown>;
  parameters: { name: string; description?: string; default?: string; required: boolean }[];
}

/** The `{{name}}` placeholders in a payload's JSON text, in order of first use. */
export function placeholdersIn(text: string): string[] {
  const seen: string[] = [];
  for (const m of text.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g))
    if (!seen.includes(m[1] as string)) seen.push(m[1] as string);
  return seen;
}
