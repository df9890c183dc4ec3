import { Agent, type RunEnd } from "../runtime/agent.ts";
import { ApiClient } from "../runtime/api.ts";
import { parseConfigHosts } from "../runtime/config-source.ts";
import { type ConsentAsker, fileAsker, promptAsker } from "../runtime/consent.ts";
import { createLogger, type Logger } from "../runtime/logger.ts";
import { StateStore } from "../state/agent-state.ts";
import { readCredentials } from "../state/credentials.ts";
import { DeviceConfigStore } from "../state/device-config.ts";
import { DiskQueue } from "../state/disk-queue.ts";
import { PermissionStore } from "../state/permissions.ts";
import {
  folderOptions,
  parseCommand,
  pathsOf,
  positiveNumber,
  readSecretFile,
  serverUrl,
  UsageError,
} from "./options.ts";

export const summary = "report health and metrics, run commands, keep data on disk while the server is away";
export const usage = `homepot-agent run [--interval S (30)] [--poll-interval S (15)] [--mqtt-url URL (or MQTT_URL)]
    [--mqtt-username NAME (device id)] [--mqtt-password-file FILE (or MQTT_PASSWORD)]
    [--config-hosts HOST[:PORT],… (or HOMEPOT_AGENT_CONFIG_HOSTS)] [--install-hook SCRIPT (or HOMEPOT_AGENT_INSTALL_HOOK)] [--allow-reboot] [--once] [--transactions-file FILE | --transactions-command CMD]
    [--queue-max N (10000)] [--max-backoff S (300)] [--dir DIR] [--key-file FILE] [--server URL] [--device-id ID]
    [--consent prompt [--consent-timeout S (120)] | --consent-file FILE]
  An operator's request_permission under the owner's "ask" policy: --consent prompt asks on this terminal (y/n;
  needs a TTY), --consent-file answers from {"grant": [...], "deny": [...]}; the answer is recorded on the device
  and through the permission API. Without an answer the request stays pending (homepot-agent permissions).
  The key comes from the key file, or HOMEPOT_DEVICE_API_KEY. UPDATE_CONFIG downloads only from the server's
  own origin and the --config-hosts. UPDATE_SOFTWARE/UPDATE_FIRMWARE download a release, verify its SHA-256 and
  Ed25519 signature (keys pinned at registration), and run SCRIPT install|rollback FILE; without a hook the
  release is only downloaded, verified and reported.`;

/** Exit codes: 0 done, 1 data left queued (--once), 2 usage, 3 key refused (revoked/wrong). */
export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const values = parseCommand(argv, usage, {
    interval: { type: "string" },
    "poll-interval": { type: "string" },
    "mqtt-url": { type: "string" },
    "mqtt-username": { type: "string" },
    "mqtt-password-file": { type: "string" },
    "config-hosts": { type: "string" },
    "install-hook": { type: "string" },
    "allow-reboot": { type: "boolean" },
    once: { type: "boolean" },
    "transactions-file": { type: "string" },
    "transactions-command": { type: "string" },
    "queue-max": { type: "string" },
    "max-backoff": { type: "string" },
    ...folderOptions,
    server: { type: "string" },
    "device-id": { type: "string" },
    consent: { type: "string" },
    "consent-timeout": { type: "string" },
    "consent-file": { type: "string" },
  });
  if (typeof values === "number") return values;
  const intervalS = positiveNumber(values.interval, "--interval", 30, 0.2);
  const pollIntervalS = positiveNumber(values["poll-interval"], "--poll-interval", 15, 0.2);
  const queueMax = positiveNumber(values["queue-max"], "--queue-max", 10_000, 1);
  const maxBackoffS = positiveNumber(values["max-backoff"], "--max-backoff", 300, 1);
  let configHosts: string[];
  try {
    configHosts = parseConfigHosts(values["config-hosts"] ?? env.HOMEPOT_AGENT_CONFIG_HOSTS);
  } catch (error) {
    throw new UsageError(`--config-hosts: ${(error as Error).message}`);
  }
  const mqttPassword = values["mqtt-password-file"]
    ? readSecretFile(values["mqtt-password-file"], "--mqtt-password-file")
    : env.MQTT_PASSWORD || undefined;
  const paths = pathsOf(values, env);
  const log = createLogger();
  const consent = consentAsker(values, log);

  for (;;) {
    // (Re)read everything at each start, so RESTART_AGENT picks up a new key file or config.
    const credentials = readCredentials(paths.keyFile);
    const server = values.server ? serverUrl(values.server) : credentials?.server;
    const deviceId = values["device-id"] ?? credentials?.device_id;
    const apiKey = env.HOMEPOT_DEVICE_API_KEY || credentials?.api_key;
    if (!server || !deviceId || !apiKey) {
      throw new UsageError(
        `no credentials in ${paths.keyFile}: run homepot-agent register first (or give --server, --device-id and HOMEPOT_DEVICE_API_KEY)`,
      );
    }
    const state = new StateStore(paths.stateFile);
    const queue = new DiskQueue(paths.queueDir, queueMax, (n) => {
      state.update((s) => ({ dropped_samples: s.dropped_samples + n }));
      log.warn({ dropped: n, total_dropped: state.get().dropped_samples }, "offline queue full; oldest items dropped");
    });
    state.update({ pid: process.pid, started_at: new Date().toISOString() });
    const agent = new Agent(
      {
        api: new ApiClient(server, { deviceId, apiKey }),
        queue,
        state,
        config: new DeviceConfigStore(paths.deviceConfig, paths.previousDeviceConfig),
        log,
        permissions: new PermissionStore(paths.permissionsFile),
      },
      {
        consent,
        intervalS,
        pollIntervalS,
        mqttUrl: values["mqtt-url"] ?? (env.MQTT_URL || undefined),
        mqttUsername: values["mqtt-username"] ?? (env.MQTT_USERNAME || undefined),
        mqttPassword,
        configHosts,
        allowReboot: values["allow-reboot"] ?? false,
        maxBackoffS,
        local: { file: values["transactions-file"], command: values["transactions-command"] },
        releases: {
          dir: paths.dir,
          installHook: values["install-hook"] ?? (env.HOMEPOT_AGENT_INSTALL_HOOK || undefined),
        },
      },
    );

    if (values.once) {
      const { end, left } = await agent.once();
      state.update({ pid: null });
      if (end === "key-rejected") return 3;
      if (left > 0) log.warn({ queued: left }, "some data is still queued on disk; it is sent on the next run");
      return left > 0 ? 1 : 0;
    }

    const onSignal = () => void agent.stop("stopped");
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
    const end: RunEnd = await agent.run();
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    state.update({ pid: null });
    if (end === "key-rejected") return 3;
    if (end === "restart") {
      // Under systemd (Restart=always) a real process restart is better: it picks up an upgraded agent.
      if (env.INVOCATION_ID) return 0;
      log.info("restarting the agent");
      continue;
    }
    log.info({ end }, "agent stopped");
    return 0;
  }
}

/** The owner's way of answering permission requests: a prompt on this terminal, a file of answers, or none. */
function consentAsker(
  values: { consent?: string | undefined; "consent-timeout"?: string | undefined; "consent-file"?: string | undefined },
  log: Logger,
): ConsentAsker | undefined {
  if (values.consent !== undefined && values.consent !== "prompt") throw new UsageError("--consent takes prompt");
  if (values.consent && values["consent-file"])
    throw new UsageError("give --consent prompt or --consent-file, not both");
  if (values["consent-file"]) return fileAsker(values["consent-file"]);
  if (values.consent !== "prompt") return undefined;
  const timeoutS = positiveNumber(values["consent-timeout"], "--consent-timeout", 120, 1);
  if (!process.stdin.isTTY) {
    // A service has nobody to ask: requests stay pending for `homepot-agent permissions grant`.
    log.warn("--consent prompt needs a terminal (stdin is not a TTY); permission requests stay pending");
    return undefined;
  }
  return promptAsker(process.stdin, process.stderr, timeoutS * 1000);
}
