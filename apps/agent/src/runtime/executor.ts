import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import type { PendingCommand } from "@homepot/contracts/commands";
import type { StateStore } from "../state/agent-state.ts";
import type { DeviceConfigStore } from "../state/device-config.ts";
import { isPermissionKey, type PermissionStore } from "../state/permissions.ts";
import type { ApiClient } from "./api.ts";
import { allowedConfigUrl, downloadConfig } from "./config-source.ts";
import type { ConsentAsker } from "./consent.ts";
import type { Logger } from "./logger.ts";
import type { ReleaseInstaller } from "./release-installer.ts";
import { runTerminal } from "./terminal.ts";

export interface HealthSummary {
  status: "healthy" | "unhealthy";
  error: string | null;
  cpu_percent: number;
  memory_percent: number;
  disk_percent: number | null;
  sample_id: string;
  taken_at: string;
}

export interface CommandOutcome {
  status: "succeeded" | "failed";
  result: Record<string, unknown>;
  error_message?: string;
  /** What the agent does once the outcome is reported. */
  afterwards?: "restart" | "reboot";
}

export interface ExecutorDeps {
  api: ApiClient;
  config: DeviceConfigStore;
  state: StateStore;
  log: Logger;
  allowReboot: boolean;
  /** Hosts besides the server's own origin that UPDATE_CONFIG may download from (the device's --config-hosts). */
  configHosts?: readonly string[];
  /** Takes a health reading now, queues it for the server, and summarises it. */
  takeHealth(): Promise<HealthSummary>;
  /** The owner's grants on this device (enforced here too). */
  permissions: PermissionStore;
  /** Values a terminal command's environment must never contain (the device key). */
  secrets: readonly string[];
  /** A live snapshot for STATUS_REQUEST. */
  snapshot(): Promise<Record<string, unknown>>;
  /** A line for the device page's Live logs. */
  logLine(level: "info" | "warning" | "error", message: string, context?: Record<string, unknown>): void;
  /** Tells the server about the grants after a change (best effort; the local file stays the truth). */
  syncPermissions(): Promise<void>;
  sleep?(ms: number): Promise<void>;
  /** Installs software/firmware releases (UPDATE_SOFTWARE, UPDATE_FIRMWARE with payload.release). */
  releases?: ReleaseInstaller | undefined;
  /** Asks the owner about a request when the policy is ask (`--consent prompt` or `--consent-file`). */
  consent?: ConsentAsker | undefined;
}

/** A config's own `version` is reported back only when short and plain; otherwise a hash of the config is. */
const VERSION_LABEL = /^[\w.+:-]{1,64}$/;

/** Runs one command; every command gets an outcome, unknown ones a failure (never ignored). */
export class CommandExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  async execute(command: PendingCommand): Promise<CommandOutcome> {
    const type = command.command_type.toUpperCase();
    const payload = (command.payload && typeof command.payload === "object" ? command.payload : {}) as Record<
      string,
      unknown
    >;
    try {
      switch (type) {
        case "PING":
          return { status: "succeeded", result: { pong: true, at: new Date().toISOString(), agent_pid: process.pid } };
        case "RUN_HEALTH_CHECK": {
          const health = await this.deps.takeHealth();
          return { status: "succeeded", result: { health } };
        }
        case "UPDATE_SOFTWARE":
        case "UPDATE_FIRMWARE":
          if (!this.deps.releases)
            return {
              status: "failed",
              result: { error: "no release support" },
              error_message: "releases are not set up on this agent",
            };
          return await this.deps.releases.install(payload.release, payload.rollback_on_degradation === true);
        case "UPDATE_CONFIG":
          return await this.updateConfig(payload);
        case "STATUS_REQUEST": {
          const snapshot = await this.deps.snapshot();
          this.deps.logLine("info", "Status requested by an operator", { command_id: command.command_id, ...snapshot });
          return { status: "succeeded", result: snapshot };
        }
        case "RUN_COMMAND":
        case "RUN_SCRIPT": {
          const outcome = await runTerminal(type, payload, {
            grants: this.deps.permissions.get().grants,
            secrets: this.deps.secrets,
          });
          this.deps.logLine(
            outcome.status === "succeeded" ? "info" : "warning",
            `${type.toLowerCase()}: ${outcome.status}`,
            {
              command_id: command.command_id,
              exit_code: outcome.result.exit_code ?? null,
              refused: outcome.result.refused ?? false,
            },
          );
          return outcome;
        }
        case "REQUEST_PERMISSION":
          return await this.requestPermission(command.command_id, payload);
        case "RESTART":
        case "RESTART_AGENT":
          return {
            status: "succeeded",
            result: { restarting: true, at: new Date().toISOString() },
            afterwards: "restart",
          };
        case "REBOOT":
          if (!this.deps.allowReboot) {
            return {
              status: "failed",
              result: { error: "not permitted" },
              error_message: "not permitted: the agent was started without --allow-reboot",
            };
          }
          return {
            status: "succeeded",
            result: { rebooting: true, at: new Date().toISOString() },
            afterwards: "reboot",
          };
        default:
          return {
            status: "failed",
            result: { error: "unknown command" },
            error_message: `unknown command type ${command.command_type}`,
          };
      }
    } catch (error) {
      return { status: "failed", result: { error: (error as Error).message }, error_message: (error as Error).message };
    }
  }

  /** An operator asks for a grant: the owner's policy decides (auto grants, deny refuses, ask waits for the owner). */
  private async requestPermission(commandId: string, payload: Record<string, unknown>): Promise<CommandOutcome> {
    const permission = String(payload.permission ?? "");
    if (!isPermissionKey(permission))
      return {
        status: "failed",
        result: { error: "unknown permission" },
        error_message: `unknown permission ${permission}`,
      };
    const store = this.deps.permissions;
    const file = store.get();
    if (file.grants[permission]) return { status: "succeeded", result: { permission, granted: true, already: true } };
    if (file.on_request === "deny")
      return {
        status: "failed",
        result: { permission, granted: false, policy: "deny" },
        error_message: `the device's owner does not grant ${permission} on request`,
      };
    if (file.on_request === "auto") {
      store.set({ [permission]: true });
      await this.deps.syncPermissions();
      this.deps.logLine("warning", `Permission ${permission} granted automatically on request`, {
        command_id: commandId,
      });
      return { status: "succeeded", result: { permission, granted: true, policy: "auto" } };
    }
    const reason = typeof payload.reason === "string" ? payload.reason.slice(0, 500) : null;
    const answer = this.deps.consent ? await this.deps.consent({ permission, reason, commandId }) : null;
    if (answer !== null) {
      // The owner answered: recorded locally and through the permission API (audited there as the device's).
      store.set({ [permission]: answer });
      await this.deps.syncPermissions();
      this.deps.logLine(answer ? "warning" : "info", `The owner ${answer ? "granted" : "refused"} ${permission}`, {
        command_id: commandId,
      });
      return answer
        ? { status: "succeeded", result: { permission, granted: true, policy: "ask", answered: "owner" } }
        : {
            status: "failed",
            result: { permission, granted: false, policy: "ask", answered: "owner" },
            error_message: `the device's owner refused ${permission}`,
          };
    }
    store.addPending({ permission, command_id: commandId, asked_at: new Date().toISOString(), reason });
    this.deps.logLine(
      "warning",
      `An operator asks for ${permission}: run "homepot-agent permissions grant ${permission}" to allow it`,
      {
        command_id: commandId,
      },
    );
    return {
      status: "succeeded",
      result: { permission, granted: false, pending: true, policy: "ask", message: "asked the device's owner" },
    };
  }

  /** Download → validate → atomic apply (previous kept) → health after settling → roll back if it broke health. */
  private async updateConfig(payload: Record<string, unknown>): Promise<CommandOutcome> {
    const { config: store, state, log } = this.deps;
    // A source the device does not allow is refused before anything else happens.
    if (typeof payload.config_url === "string" && !payload.config)
      allowedConfigUrl(payload.config_url, this.deps.api, this.deps.configHosts ?? []);
    const before = await this.deps.takeHealth();
    let config: Record<string, unknown>;
    let source: string;
    if (payload.config && typeof payload.config === "object" && !Array.isArray(payload.config)) {
      config = payload.config as Record<string, unknown>;
      source = "inline";
    } else if (typeof payload.config_url === "string") {
      source = payload.config_url;
      config = await downloadConfig(payload.config_url, this.deps.api, this.deps.configHosts ?? []);
    } else {
      return {
        status: "failed",
        result: { error: "payload.config_url missing" },
        error_message: "UPDATE_CONFIG needs payload.config_url",
      };
    }
    const previousVersion = state.get().config_version;
    // The operator's label as given; from the downloaded content only a plain version label is reported back.
    const version =
      (typeof payload.config_version === "string" && payload.config_version.slice(0, 100)) ||
      (typeof config.version === "string" && VERSION_LABEL.test(config.version) && config.version) ||
      createHash("sha256").update(JSON.stringify(config)).digest("hex").slice(0, 12);
    const { hadPrevious } = store.apply(config);
    state.update({ config_version: version });
    log.info({ config_version: version, previous_version: previousVersion, source }, "configuration applied");

    const settleS = Math.min(300, Math.max(0, typeof payload.settle_s === "number" ? payload.settle_s : 2));
    await (this.deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(settleS * 1000);
    const after = await this.deps.takeHealth();
    const result = {
      config_version: version,
      previous_version: previousVersion,
      source,
      path: store.file,
      performance_before: before,
      performance_after: after,
    };
    if (before.status === "healthy" && after.status === "unhealthy") {
      store.rollback(hadPrevious);
      state.update({ config_version: previousVersion });
      log.warn({ config_version: version, error: after.error }, "configuration rolled back: health got worse");
      return {
        status: "failed",
        result: { ...result, rolled_back: true },
        error_message: `rolled back: health became unhealthy (${after.error})`,
      };
    }
    return { status: "succeeded", result };
  }
}

/** Asks the OS to reboot (needs the privilege; systemd-logind or root). */
export function rebootHost(log: Logger): void {
  execFile("systemctl", ["reboot"], (error) => {
    if (!error) return;
    execFile("shutdown", ["-r", "now"], (err2) => {
      if (err2) log.error({ err: err2.message }, "reboot failed");
    });
  });
}
