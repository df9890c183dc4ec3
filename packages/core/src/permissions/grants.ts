import { PERMISSION_KEYS, type PermissionFlags, type PermissionKey } from "@homepot/contracts/permissions";
import { ValidationError } from "../errors.ts";
import { detectOsFamily, type KnownOsFamily } from "./os-family.ts";

export type OsFamily = KnownOsFamily;
/** The OS family of an OS description ("Ubuntu 24.04", "Windows 11", "Android 14"), or null when unknown. */
export const osFamilyOf = detectOsFamily;

const none = (): PermissionFlags => Object.fromEntries(PERMISSION_KEYS.map((k) => [k, false])) as PermissionFlags;

/** What an OS can support at all (the original's table): an unknown OS supports nothing. */
export function capabilitiesOf(family: OsFamily | null): PermissionFlags {
  const caps = none();
  if (family === "linux" || family === "macos") for (const k of PERMISSION_KEYS) caps[k] = true;
  if (family === "android" || family === "windows")
    Object.assign(caps, {
      command_execution: true,
      process_monitoring: true,
      filesystem_access: true,
      network_monitoring: true,
    });
  if (family === "ios") caps.network_monitoring = true;
  return caps;
}

export const noGrants = none;

/** The grants a command needs before the server queues it (and the agent runs it). */
export function requiredPermissions(commandType: string, payload: Record<string, unknown>): PermissionKey[] {
  const type = commandType.toUpperCase();
  if (type !== "RUN_COMMAND" && type !== "RUN_SCRIPT") return [];
  return payload.run_as_root === true ? ["command_execution", "root_access"] : ["command_execution"];
}

/** Limits of terminal commands, shared by the server's check and the agent's own. */
export const TERMINAL_LIMITS = { maxOutputBytes: 64 * 1024, maxTimeoutS: 300, defaultTimeoutS: 60 } as const;

/** Checks a terminal or permission-request payload (the other command types are checked elsewhere). */
export function checkRemotePayload(commandType: string, payload: Record<string, unknown>): void {
  const type = commandType.toUpperCase();
  if (type === "RUN_COMMAND" || type === "RUN_SCRIPT") {
    const field = type === "RUN_COMMAND" ? "command" : "script";
    const text = payload[field];
    const max = type === "RUN_COMMAND" ? 4096 : 64 * 1024;
    if (typeof text !== "string" || !text.trim())
      throw new ValidationError(`${type} needs payload.${field} (a non-empty string)`, `payload.${field}`);
    if (text.length > max)
      throw new ValidationError(`payload.${field} is longer than ${max} characters`, `payload.${field}`);
    const timeout = payload.timeout_s;
    if (
      timeout !== undefined &&
      (typeof timeout !== "number" ||
        !Number.isInteger(timeout) ||
        timeout < 1 ||
        timeout > TERMINAL_LIMITS.maxTimeoutS)
    )
      throw new ValidationError(
        `payload.timeout_s must be 1–${TERMINAL_LIMITS.maxTimeoutS} seconds`,
        "payload.timeout_s",
      );
    if (payload.run_as_root !== undefined && typeof payload.run_as_root !== "boolean")
      throw new ValidationError("payload.run_as_root must be true or false", "payload.run_as_root");
  }
  if (type === "REQUEST_PERMISSION") {
    const p = payload.permission;
    if (typeof p !== "string" || !(PERMISSION_KEYS as readonly string[]).includes(p))
      throw new ValidationError(
        `payload.permission must be one of ${PERMISSION_KEYS.join(", ")}`,
        "payload.permission",
      );
  }
}
