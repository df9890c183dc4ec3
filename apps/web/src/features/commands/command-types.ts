import type { QueueCommandBody } from "@homepot/contracts/commands";
import type { z } from "zod";

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

export type DeviceCommandType = z.input<typeof QueueCommandBody>["command_type"];

/** The commands sent straight to a device (its page, and the device list's bulk bar: `bulk` ones), one click each. */
export const DEVICE_COMMANDS: { value: DeviceCommandType; label: string; bulk: boolean }[] = [
  { value: "ping", label: "Ping", bulk: true },
  { value: "run_health_check", label: "Run health check", bulk: true },
  { value: "restart", label: "Restart the POS app", bulk: true },
  { value: "reboot", label: "Reboot the device", bulk: true },
  { value: "update_config", label: "Update configuration", bulk: false },
  { value: "restart_agent", label: "Restart the agent", bulk: true },
  { value: "status_request", label: "Status request (live snapshot)", bulk: false },
];

/** Commands that interrupt the device: sent only after the operator confirms, with what they do. */
export const DESTRUCTIVE: Record<string, string> = {
  reboot: "The device reboots: it stops taking payments and goes offline until it is back up.",
  restart: "The POS app restarts: a sale in progress on this device is interrupted.",
};

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
