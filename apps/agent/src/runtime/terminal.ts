import { spawn } from "node:child_process";
import type { PermissionFlags } from "@homepot/contracts/permissions";

/** The agent's own limits for terminal commands (the server checks the same). */
export const MAX_OUTPUT_BYTES = 64 * 1024;
export const MAX_TIMEOUT_S = 300;
const DEFAULT_TIMEOUT_S = 60;
/** Programs that switch user: only with root_access granted and an explicit run_as_root. */
const ELEVATE = /(^|[\s;&|(`$])(sudo|su|doas|pkexec)(\s|$|;)/;

export interface TerminalOutcome {
  status: "succeeded" | "failed";
  result: Record<string, unknown>;
  error_message?: string;
}

export interface TerminalOptions {
  grants: PermissionFlags;
  /** Values that must never reach the command's environment (the device key). */
  secrets: readonly string[];
  env?: NodeJS.ProcessEnv;
  isRoot?: boolean;
}

const refused = (reason: string): TerminalOutcome => ({
  status: "failed",
  result: { refused: true, error: reason },
  error_message: reason,
});

/** The environment a terminal command gets: the agent's, without its key or any HOMEPOT_* setting. */
export function scrubbedEnv(env: NodeJS.ProcessEnv, secrets: readonly string[]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || k.startsWith("HOMEPOT_") || /API_KEY|MQTT_PASSWORD/i.test(k)) continue;
    if (secrets.some((s) => s && v.includes(s))) continue;
    out[k] = v;
  }
  return out;
}

/** Why the agent refuses this command, or null: the owner's grants, enforced on the device whatever the server said. */
export function refusal(type: "RUN_COMMAND" | "RUN_SCRIPT", payload: Record<string, unknown>, grants: PermissionFlags) {
  if (!grants.command_execution) return "not permitted: the device's owner has not granted command_execution";
  const text = String(type === "RUN_COMMAND" ? (payload.command ?? "") : (payload.script ?? ""));
  if (!text.trim()) return `payload.${type === "RUN_COMMAND" ? "command" : "script"} is empty`;
  const asRoot = payload.run_as_root === true;
  if (asRoot && !grants.root_access) return "not permitted: the device's owner has not granted root_access";
  if (ELEVATE.test(text) && !(asRoot && grants.root_access))
    return "not permitted: sudo/su/doas/pkexec need root_access and run_as_root";
  return null;
}

/**
 * Runs one terminal command (`sh -c`) or script (`sh -s`, from stdin) with a capped timeout (≤ 300 s, then the
 * whole process group is killed), capped output (64 KiB of stdout and stderr together) and a scrubbed environment.
 * run_as_root goes through `sudo -n` unless the agent already is root.
 */
export async function runTerminal(
  type: "RUN_COMMAND" | "RUN_SCRIPT",
  payload: Record<string, unknown>,
  options: TerminalOptions,
): Promise<TerminalOutcome> {
  const why = refusal(type, payload, options.grants);
  if (why) return refused(why);
  const timeoutS = Math.min(
    MAX_TIMEOUT_S,
    Math.max(1, typeof payload.timeout_s === "number" ? Math.floor(payload.timeout_s) : DEFAULT_TIMEOUT_S),
  );
  const script = type === "RUN_SCRIPT";
  const text = String(script ? payload.script : payload.command);
  const shArgs = script ? ["-s"] : ["-c", text];
  const asRoot = payload.run_as_root === true && !(options.isRoot ?? process.getuid?.() === 0);
  const [cmd, args] = asRoot ? ["sudo", ["-n", "--", "/bin/sh", ...shArgs]] : ["/bin/sh", shArgs];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      env: scrubbedEnv(options.env ?? process.env, options.secrets),
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const chunks: { stream: "stdout" | "stderr"; data: Buffer }[] = [];
    let bytes = 0;
    let truncated = false;
    let timedOut = false;
    const take = (stream: "stdout" | "stderr") => (data: Buffer) => {
      if (bytes >= MAX_OUTPUT_BYTES) {
        truncated = true;
        return;
      }
      const part = data.subarray(0, MAX_OUTPUT_BYTES - bytes);
      if (part.length < data.length) truncated = true;
      bytes += part.length;
      chunks.push({ stream, data: part });
    };
    child.stdout.on("data", take("stdout"));
    child.stderr.on("data", take("stderr"));
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutS * 1000);
    child.stdin.on("error", () => {});
    child.stdin.end(script ? text : undefined);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ status: "failed", result: { error: error.message }, error_message: error.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const join = (s: "stdout" | "stderr") =>
        Buffer.concat(chunks.filter((c) => c.stream === s).map((c) => c.data)).toString("utf8");
      const result = {
        exit_code: code,
        signal,
        stdout: join("stdout"),
        stderr: join("stderr"),
        truncated,
        timed_out: timedOut,
        timeout_s: timeoutS,
        run_as_root: payload.run_as_root === true,
        duration_ms: Date.now() - started,
      };
      if (timedOut)
        resolve({ status: "failed", result, error_message: `timed out after ${timeoutS} s (the process was killed)` });
      else if (code !== 0) resolve({ status: "failed", result, error_message: `exited with code ${code ?? signal}` });
      else resolve({ status: "succeeded", result });
    });
  });
}
