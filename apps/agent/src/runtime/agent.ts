import { type as osType, release, uptime } from "node:os";
import type { PendingCommand } from "@homepot/contracts/commands";
import type { StateStore } from "../state/agent-state.ts";
import type { DeviceConfigStore } from "../state/device-config.ts";
import type { DiskQueue } from "../state/disk-queue.ts";
import type { PermissionStore } from "../state/permissions.ts";
import { AGENT_VERSION, type ApiClient, detailOf, isRetryable, KeyRejectedError, NetworkError } from "./api.ts";
import { Backoff } from "./backoff.ts";
import type { ConsentAsker } from "./consent.ts";
import { type DeviceDna, dnaFingerprint, readDeviceDna } from "./device-dna.ts";
import { CommandExecutor, type HealthSummary, rebootHost } from "./executor.ts";
import { assess, healthBody, metricsSample, readHost } from "./host-metrics.ts";
import { type LocalSource, readLocalFigures } from "./local-source.ts";
import type { Logger } from "./logger.ts";
import { NudgeListener } from "./nudge.ts";
import { ReleaseInstaller } from "./release-installer.ts";
import { Sender } from "./sender.ts";

export interface AgentOptions {
  /** Asks the device's owner about an operator's permission request (policy ask). */
  consent?: ConsentAsker | undefined;
  intervalS: number;
  pollIntervalS: number;
  mqttUrl?: string;
  /** Broker login; per-device ACLs expect the device id as the username. */
  mqttUsername?: string;
  mqttPassword?: string;
  allowReboot: boolean;
  /** Hosts besides the server's origin that UPDATE_CONFIG may download from. */
  configHosts?: readonly string[];
  /** How long a burst of nudges is gathered, and the least time between two nudged polls (ms; 200 and 1000). */
  nudgeWindowMs?: number;
  nudgeGapMs?: number;
  local: LocalSource;
  /** Longest wait between retries while the server is away (default 300 s). */
  maxBackoffS?: number;
  /** How often the machine's DNA is read again, and reported when it changed (default 600 s). */
  dnaIntervalS?: number;
  /** Reads the machine's DNA (default: systeminformation). */
  readDna?: () => Promise<DeviceDna>;
  /** Software/firmware releases: the agent's folder (staging, installed artifacts, pinned keys) and the install hook. */
  releases?: { dir: string; installHook?: string | undefined };
}

export interface AgentParts {
  api: ApiClient;
  queue: DiskQueue;
  state: StateStore;
  config: DeviceConfigStore;
  log: Logger;
  permissions: PermissionStore;
}

/** How a run ended: stopped (signal), the key was refused, or a command asked for a restart/reboot. */
export type RunEnd = "stopped" | "key-rejected" | "restart" | "reboot";

/**
 * The agent's loop: every `intervalS` a real reading of the host becomes a health check and a
 * metrics sample (queued on disk, then delivered); commands are polled every `pollIntervalS` and at
 * once on an MQTT nudge, run one at a time, and their results delivered like samples. When the
 * server is away, deliveries and polls back off with jitter while readings keep queueing.
 */
export class Agent {
  private readonly sender: Sender;
  private readonly executor: CommandExecutor;
  private readonly releases: ReleaseInstaller | undefined;
  private readonly backoff: Backoff;
  private nextTryAt = 0;
  private timers: NodeJS.Timeout[] = [];
  private nudges: NudgeListener | undefined;
  private busy: Promise<void> = Promise.resolve();
  /** Message ids of nudges since the last poll; acked only when they name a command the poll returned. */
  private nudged = new Set<string>();
  private nudgeTimer: NodeJS.Timeout | undefined;
  private nudgedPoll: Promise<void> | undefined;
  private nudgedPollDone: (() => void) | undefined;
  private lastNudgedPollAt = 0;
  private polling = false;
  private pollAgain = false;
  private ended: ((end: RunEnd) => void) | undefined;
  private end: RunEnd | undefined;
  /** Fingerprint of the DNA the server last accepted. */
  private dnaReported: string | undefined;

  constructor(
    private readonly parts: AgentParts,
    private readonly options: AgentOptions,
  ) {
    this.backoff = new Backoff(1_000, (options.maxBackoffS ?? 300) * 1000);
    this.sender = new Sender(parts.api, parts.queue, parts.state, parts.log);
    this.releases = options.releases
      ? new ReleaseInstaller({
          api: parts.api,
          dir: options.releases.dir,
          installHook: options.releases.installHook,
          log: parts.log,
          takeHealth: () => this.sample(),
          sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        })
      : undefined;
    this.executor = new CommandExecutor({
      releases: this.releases,
      api: parts.api,
      config: parts.config,
      state: parts.state,
      log: parts.log,
      allowReboot: options.allowReboot,
      configHosts: options.configHosts,
      takeHealth: () => this.sample(),
      permissions: parts.permissions,
      secrets: parts.api.secrets(),
      snapshot: () => this.snapshot(),
      logLine: (level, message, context) => this.logLine(level, message, context),
      syncPermissions: () => this.syncPermissions(),
      consent: options.consent,
    });
  }

  /** Queues a line for the device page's Live logs (delivered with the rest of the queue). */
  logLine(level: "info" | "warning" | "error", message: string, context?: Record<string, unknown>): void {
    this.parts.queue.push("log", {
      device_id: this.deviceId,
      level,
      message,
      category: "agent",
      timestamp: new Date().toISOString(),
      ...(context ? { context } : {}),
    });
  }

  /** What STATUS_REQUEST answers: a fresh reading, the agent's own state and the owner's grants. */
  private async snapshot(): Promise<Record<string, unknown>> {
    const health = await this.sample();
    const state = this.parts.state.get();
    return {
      health,
      uptime_seconds: Math.round(uptime()),
      os: `${osType()} ${release()}`,
      agent_version: AGENT_VERSION,
      config_version: state.config_version,
      queued_items: this.parts.queue.size(),
      last_command: state.last_command,
      permissions: this.parts.permissions.get().grants,
    };
  }

  /** Tells the server the owner's grants (and the OS, so it knows what can be granted). Best effort. */
  async syncPermissions(): Promise<void> {
    const grants = this.parts.permissions.get().grants;
    try {
      const res = await this.parts.api.call("PATCH /devices/device/{device_id}/permissions", {
        params: { device_id: this.deviceId },
        body: { permissions: grants, os_details: `${osType()} ${release()}` },
      });
      if (res.status !== 200)
        this.parts.log.warn({ status: res.status, detail: detailOf(res) }, "permissions not synced");
    } catch (error) {
      this.parts.log.warn({ err: (error as Error).message }, "permissions not synced (server unreachable)");
    }
  }

  /** Tells the server a command arrived / started (its lifecycle); best effort, the result says it anyway. */
  private async ack(commandId: string, status: "acknowledged" | "executing"): Promise<void> {
    try {
      await this.parts.api.call("POST /devices/{device_id}/commands/{command_id}/ack", {
        params: { device_id: this.deviceId, command_id: commandId },
        body: { status },
      });
    } catch {
      // The result stamps the same steps.
    }
  }

  private get deviceId(): string {
    return this.parts.api.deviceId as string;
  }

  /** Runs until stopped; resolves with why it ended. */
  run(): Promise<RunEnd> {
    const { log } = this.parts;
    log.info(
      {
        device_id: this.deviceId,
        server: this.parts.api.server,
        interval_s: this.options.intervalS,
        poll_s: this.options.pollIntervalS,
        queued: this.parts.queue.size(),
      },
      "agent started",
    );
    this.logLine("info", "Agent started", { agent_version: AGENT_VERSION });
    void this.syncPermissions();
    const done = new Promise<RunEnd>((resolve) => {
      this.ended = resolve;
    });
    if (this.options.mqttUrl) {
      this.nudges = new NudgeListener(
        this.options.mqttUrl,
        this.deviceId,
        log,
        (messageId) => {
          log.debug({ message_id: messageId }, "command nudge");
          void this.nudge(messageId);
        },
        { username: this.options.mqttUsername, password: this.options.mqttPassword },
      );
      this.nudges.start();
    }
    const every = (seconds: number, fn: () => Promise<unknown>) => {
      // A tick that outlasts the interval (a hanging server) is not started again on top of itself.
      let running = false;
      const tick = () => {
        if (running || this.end) return;
        running = true;
        void fn()
          .catch((error) => this.fatal(error))
          .finally(() => {
            running = false;
          });
      };
      this.timers.push(setInterval(tick, seconds * 1000));
      tick();
    };
    every(this.options.intervalS, async () => {
      await this.sample();
      await this.deliver();
    });
    every(this.options.pollIntervalS, () => this.poll(false));
    every(this.options.dnaIntervalS ?? 600, () => this.reportDna());
    return done;
  }

  /** One pass for scripts: a reading, delivery, one poll with its commands. Resolves with items left queued. */
  async once(): Promise<{ end: RunEnd | undefined; left: number }> {
    try {
      await this.sample();
      await this.deliver(true);
      await this.poll(true);
      await this.busy;
      await this.deliver(true);
    } catch (error) {
      this.fatal(error);
    }
    return { end: this.end, left: this.parts.queue.size() };
  }

  async stop(end: RunEnd = "stopped"): Promise<void> {
    if (!this.end) this.end = end;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    clearTimeout(this.nudgeTimer);
    this.nudgedPollDone?.();
    await this.nudges?.stop();
    await this.busy.catch(() => {});
    this.ended?.(this.end);
  }

  /** Reads the host, queues a health check and a metrics sample, and summarises the health. */
  async sample(): Promise<HealthSummary> {
    const latency = await this.measureLatency();
    const [reading, local] = await Promise.all([readHost(latency), readLocalFigures(this.options.local)]);
    if (local.error) this.parts.log.warn({ error: local.error }, "local figures unavailable");
    const state = this.parts.state;
    const health = healthBody(reading, local.figures, state.get().config_version, this.releases?.versions());
    this.parts.queue.push("health", health, `h-${reading.sample_id}`);
    this.parts.queue.push("metrics", metricsSample(this.deviceId, reading, local.figures), reading.sample_id);
    state.update({ last_sample_at: reading.taken_at });
    const verdict = assess(reading, local.figures);
    return {
      status: verdict.status,
      error: verdict.error,
      cpu_percent: reading.cpu_percent,
      memory_percent: reading.memory_percent,
      disk_percent: reading.disk_percent,
      sample_id: reading.sample_id,
      taken_at: reading.taken_at,
    };
  }

  /** Reports the machine's DNA at start and whenever it changed; a failure is retried at the next reading. */
  async reportDna(): Promise<boolean> {
    try {
      const dna = await (this.options.readDna ?? readDeviceDna)();
      const fingerprint = dnaFingerprint(dna);
      if (fingerprint === this.dnaReported) return false;
      const res = await this.parts.api.call("POST /agent/device-dna", { body: { device_id: this.deviceId, ...dna } });
      if (res.status === 401) throw new KeyRejectedError(detailOf(res));
      if (res.status < 200 || res.status >= 300) {
        this.parts.log.warn({ status: res.status, detail: detailOf(res) }, "device DNA refused");
        return false;
      }
      this.dnaReported = fingerprint;
      return true;
    } catch (error) {
      if (error instanceof KeyRejectedError) throw error;
      this.parts.log.warn({ error: (error as Error).message }, "device DNA not reported");
      return false;
    }
  }

  /** Round trip to the server's liveness endpoint; null when it does not answer. */
  private async measureLatency(): Promise<number | null> {
    const started = performance.now();
    try {
      const res = await this.parts.api.request("GET", "health", { device: false, timeoutMs: 5_000 });
      return res.status < 500 ? performance.now() - started : null;
    } catch {
      return null;
    }
  }

  /** Delivers the queue unless backing off; `force` ignores the backoff (once mode). */
  private async deliver(force = false): Promise<void> {
    if (!force && Date.now() < this.nextTryAt) return;
    const outcome = await this.sender.flush();
    if (outcome === "empty") {
      if (this.backoff.failures > 0) this.parts.log.info("server reachable again; queue delivered");
      this.backoff.succeed();
      this.nextTryAt = 0;
    } else {
      this.retryLater();
    }
  }

  private retryLater(): void {
    const delay = this.backoff.fail();
    this.nextTryAt = Date.now() + delay;
    this.parts.log.warn(
      { retry_in_ms: delay, queued: this.parts.queue.size(), failures: this.backoff.failures },
      "server unavailable; keeping data on disk",
    );
  }

  /** Fetches pending commands (marks them sent on the server) and runs them one at a time. */
  private async poll(now: boolean): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    if (!now && Date.now() < this.nextTryAt) return;
    this.polling = true;
    try {
      do {
        this.pollAgain = false;
        const nudged = this.nudged;
        this.nudged = new Set();
        let commands: PendingCommand[];
        try {
          const res = await this.parts.api.call("GET /devices/pending", {});
          if (res.status === 401) throw new KeyRejectedError(detailOf(res));
          if (isRetryable(res.status)) {
            this.retryLater();
            return;
          }
          if (!res.ok || res.status !== 200 || !Array.isArray(res.body)) {
            this.parts.log.warn({ status: res.status, detail: detailOf(res) }, "unexpected answer to the command poll");
            return;
          }
          commands = res.body;
          void this.heartbeat();
          await this.receivePushes();
        } catch (error) {
          if (error instanceof NetworkError) {
            this.retryLater();
            return;
          }
          throw error;
        }
        // Ack only nudges that named a command of ours; anyone on the broker can publish a nudge.
        const acks = commands.filter((c) => nudged.has(c.command_id)).map((c) => this.ackPush(c.command_id));
        for (const command of commands) await this.runCommand(command);
        await Promise.all(acks);
      } while (this.pollAgain && !this.end);
    } finally {
      this.polling = false;
    }
  }

  /**
   * A nudge only says "poll now": a burst of them (real or forged) becomes one poll after `nudgeWindowMs`,
   * and nudged polls are at least `nudgeGapMs` apart, so a flood on the broker cannot make the device
   * hammer the server. Resolves when that poll is done.
   */
  nudge(messageId?: string): Promise<void> {
    if (messageId && this.nudged.size < 100) this.nudged.add(messageId);
    if (this.end) return Promise.resolve();
    if (this.nudgedPoll) return this.nudgedPoll;
    const window = this.options.nudgeWindowMs ?? 200;
    const wait = Math.max(window, this.lastNudgedPollAt + (this.options.nudgeGapMs ?? 1000) - Date.now());
    this.nudgedPoll = new Promise<void>((resolve) => {
      this.nudgedPollDone = resolve;
      this.nudgeTimer = setTimeout(() => {
        this.nudgedPoll = undefined;
        this.nudgedPollDone = undefined;
        this.lastNudgedPollAt = Date.now();
        this.poll(true)
          .catch((error) => this.fatal(error))
          .finally(resolve);
      }, wait);
    });
    return this.nudgedPoll;
  }

  private runCommand(command: PendingCommand): Promise<void> {
    const work = this.busy.then(async () => {
      const { log, queue, state } = this.parts;
      log.info({ command_id: command.command_id, command_type: command.command_type }, "running command");
      await this.ack(command.command_id, "executing");
      const outcome = await this.executor.execute(command);
      queue.push(
        "result",
        {
          command_id: command.command_id,
          status: outcome.status,
          result: outcome.result,
          error_message: outcome.error_message ?? null,
        },
        `r-${command.command_id}`,
      );
      state.update({
        last_command: {
          command_id: command.command_id,
          command_type: command.command_type,
          status: outcome.status,
          at: new Date().toISOString(),
        },
      });
      log.info(
        { command_id: command.command_id, status: outcome.status, error: outcome.error_message },
        "command finished",
      );
      await this.deliver(true).catch((error) => this.fatal(error));
      if (outcome.afterwards === "restart") void this.stop("restart");
      if (outcome.afterwards === "reboot") {
        rebootHost(log);
        void this.stop("reboot");
      }
    });
    this.busy = work.catch((error) => this.fatal(error));
    return this.busy;
  }

  /**
   * Picks up the operators' notifications (each handed out once), shows them in the device's live log and the
   * agent's own log, and acknowledges each: delivered with when it arrived. Never executes anything they carry.
   */
  private async receivePushes(): Promise<void> {
    try {
      const res = await this.parts.api.call("GET /push/pending", {});
      const list = res.ok && res.status === 200 ? res.body?.notifications : undefined;
      if (!Array.isArray(list)) return;
      for (const n of list) {
        const receivedAt = new Date().toISOString();
        this.parts.log.info({ message_id: n.message_id, title: n.title }, "notification received");
        this.logLine("info", `Notification: ${n.title}: ${n.body}`, { message_id: n.message_id });
        await this.parts.api
          .call("POST /push/ack", {
            body: { message_id: n.message_id, device_id: this.deviceId, status: "delivered", received_at: receivedAt },
          })
          .catch(() => undefined);
      }
    } catch {
      // The next poll tries again; an unacknowledged push just stays "sent" until its TTL.
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      await this.parts.api.call("POST /agent/heartbeat", { body: { device_id: this.deviceId } });
    } catch {
      // The next poll tries again; health reports keep last_seen moving anyway.
    }
  }

  private async ackPush(messageId: string): Promise<void> {
    try {
      await this.parts.api.call("POST /push/ack", {
        body: { message_id: messageId, device_id: this.deviceId, status: "received" },
      });
    } catch {
      // An ack is a courtesy; the command itself is already on its way.
    }
  }

  private fatal(error: unknown): void {
    if (error instanceof KeyRejectedError) {
      this.parts.log.error(
        { detail: error.message },
        "the server refused this device's key (revoked, rotated out or wrong); stopping. Register again or install a new key (HOMEPOT_DEVICE_API_KEY / --key-file).",
      );
      void this.stop("key-rejected");
      return;
    }
    this.parts.log.error({ err: error instanceof Error ? error.message : String(error) }, "agent step failed");
  }
}
