import { ValidationError } from "../errors.ts";

/** The instructions a device understands; stored uppercase, sent lowercase on the compatibility wire. */
export const COMMAND_TYPES = [
  "PING",
  "RESTART",
  "REBOOT",
  "UPDATE_CONFIG",
  "RUN_HEALTH_CHECK",
  "RESTART_AGENT",
  "UPDATE_FIRMWARE",
  /** A live snapshot (metrics, uptime, agent state) back as the result, and a live-log line. */
  "STATUS_REQUEST",
  /** The terminal: one shell command / a script, run by the agent under the owner's grants. */
  "RUN_COMMAND",
  "RUN_SCRIPT",
  /** Asks the device's owner for one grant (payload.permission). */
  "REQUEST_PERMISSION",
  /** Fetch, verify (SHA-256 + Ed25519) and install a release (payload.release). */
  "UPDATE_SOFTWARE",
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export const COMMAND_STATUSES = ["pending", "sent", "succeeded", "failed", "expired", "cancelled"] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];
export type FinalCommandStatus = Exclude<CommandStatus, "pending" | "sent">;
export const OPEN_STATUSES = ["pending", "sent"] as const satisfies readonly CommandStatus[];

/** Commands without an explicit expiry stop being handed out after a day. */
export const DEFAULT_COMMAND_TTL_S = 24 * 3600;
/** At most this many commands are handed to a device per poll. */
export const MAX_CLAIM = 100;

export function isCommandType(value: string): value is CommandType {
  return (COMMAND_TYPES as readonly string[]).includes(value);
}

/** Accepts any case and `-`/space separators ("update-config", "Run Health Check"); returns the stored form. */
export function normalizeCommandType(input: string, field = "command_type"): CommandType {
  const upper = input
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");
  if (!isCommandType(upper)) {
    throw new ValidationError(`${field} must be one of ${COMMAND_TYPES.map((t) => t.toLowerCase()).join(", ")}`, field);
  }
  return upper;
}

export function isFinal(status: string): status is FinalCommandStatus {
  return status !== "pending" && status !== "sent";
}
