import { BOOT_SURGE_MS, CONFIG_BLIP_MS } from "./benign-events.ts";
import { clamp, type Rng, round } from "./random.ts";
import { parseReleasePayload, type ReleaseToInstall } from "./release-install.ts";
import type { SiteActivity } from "./site-activity.ts";

/**
 * One simulated POS terminal: its resources drift, follow the site's day and its faults, and it executes
 * commands with realistic durations and failures. Pure: time comes in as arguments, randomness from a
 * seeded Rng, so a fleet replays exactly.
 */

export type HealthOutcome = "healthy" | "payment_gateway_timeout" | "database_connection_failed" | "low_disk_space";

/** Messages of the original's simulated outcomes (SPEC §7). */
export const outcomeMessages: Record<Exclude<HealthOutcome, "healthy">, string> = {
  payment_gateway_timeout: "Payment gateway timeout",
  database_connection_failed: "Database connection failed",
  low_disk_space: "Low disk space warning",
};

/**
 * Long-run share of each outcome (SPEC §7: ≈85 % healthy, 8 / 4 / 3 %) and how many reports an episode
 * lasts on average; the start probability of each episode follows from both (π_H·a = π_k / d).
 */
export const outcomeTargets = {
  payment_gateway_timeout: { share: 0.08, meanReports: 4 },
  database_connection_failed: { share: 0.04, meanReports: 3 },
  low_disk_space: { share: 0.03, meanReports: 10 },
} as const;
const healthyShare = 1 - Object.values(outcomeTargets).reduce((s, t) => s + t.share, 0);

export type InjectedFaultKind =
  | "memory_leak"
  | "disk_filling"
  | "failing_gateway"
  | "bad_config"
  | "network_loss"
  | "cpu_runaway"
  | "network_flapping"
  | "slow_gateway";
export const injectedFaultKinds: readonly InjectedFaultKind[] = [
  "memory_leak",
  "disk_filling",
  "failing_gateway",
  "bad_config",
  "network_loss",
  "cpu_runaway",
  "network_flapping",
  "slow_gateway",
];

export interface FaultOptions {
  /** memory_leak / disk_filling / cpu_runaway: percentage points per hour (defaults 60, 15 and 60). */
  ratePerHour?: number;
  /** network_loss: how long the device is unreachable (default 10 min); network_flapping: how long it flaps (30 min). */
  durationMs?: number;
  /** failing_gateway / slow_gateway: minutes until the gateway fails completely (defaults 20 and 60). */
  rampMinutes?: number;
}

/** network_flapping: in every 6 minutes of the fault the device drops off the network for 2. */
const FLAP_CYCLE_MS = 6 * 60_000;
const FLAP_DOWN_MS = 2 * 60_000;

export interface InjectedFault {
  kind: InjectedFaultKind;
  injectedAt: Date;
  options: FaultOptions;
  /** First report showing a symptom (e.g. memory above 85 %, gateway errors). */
  firstSymptomAt?: Date;
  /** First failure the fault caused (crash, disk full, timeouts, degraded config, loss of contact). */
  failedAt?: Date;
  clearedAt?: Date;
  /** bad_config: the config version whose application degraded the device. */
  badVersion?: string;
}

export type CommandType =
  | "PING"
  | "RUN_HEALTH_CHECK"
  | "RESTART"
  | "RESTART_AGENT"
  | "REBOOT"
  | "UPDATE_CONFIG"
  | "UPDATE_FIRMWARE"
  | "UPDATE_SOFTWARE"
  | "STATUS_REQUEST"
  | "RUN_COMMAND"
  | "RUN_SCRIPT"
  | "REQUEST_PERMISSION";

export interface DeviceSpec {
  deviceId: string;
  siteId: string;
  /** How many simulated devices share the site: the site's transactions are split between them. */
  siteDeviceCount: number;
  configVersion?: string;
  firmware?: string;
  /** Installed software version (a release's), reported as software_version; none by default. */
  software?: string | undefined;
  /** Share of release installs (UPDATE_SOFTWARE / UPDATE_FIRMWARE with a release) whose install hook fails. */
  releaseFailureRate?: number | undefined;
  model?: string;
  /** Seconds between its reports, declared with every sample as the original agents do (default 30; the fleet sets its interval). */
  collectionIntervalS?: number;
}

export interface HealthPayload {
  status: "healthy" | "unhealthy";
  config_version: string;
  software_version?: string;
  response_time_ms: number;
  device_info: Record<string, unknown>;
  services: Record<string, string>;
  metrics: Record<string, number>;
  error: string | null;
}

/** The metrics ingest body of SPEC §6 (all ten columns filled). */
export interface MetricSample {
  device_id: string;
  cpu_percent: number;
  memory_percent: number;
  disk_percent: number;
  network_latency_ms: number;
  transaction_count: number;
  transaction_volume: number;
  error_rate: number;
  active_connections: number;
  queue_depth: number;
  extra_metrics: Record<string, unknown>;
}

export interface DeviceReport {
  deviceId: string;
  at: Date;
  health: HealthPayload;
  metrics: MetricSample;
  /** Which outcome the model chose (ground truth for tests and backtests). */
  outcome: HealthOutcome | "crash" | "disk_full" | "degraded";
}

export interface CommandRequest {
  commandId: string;
  commandType: string;
  payload: Record<string, unknown> | null;
}

export interface CommandResult {
  status: "succeeded" | "failed";
  result: Record<string, unknown> | null;
  error_message: string | null;
}

/** What executing a command will do: its result after `durationMs`, or no answer at all (timeout). */
export interface CommandPlan {
  commandId: string;
  commandType: CommandType | string;
  durationMs: number;
  outcome: CommandResult | "no_answer";
  /** The device is busy (restarting) from the start for this long, and silent while rebooting. */
  downtimeMs: number;
  reboot: boolean;
  newConfigVersion?: string;
  newFirmware?: string;
  newSoftware?: string;
  /** A release to download, verify and install when the command's time is up (the fleet does it through its transport). */
  release?: ReleaseToInstall;
  /** Why the release's install hook will fail (simulated), if it will. */
  releaseFailure?: string;
  /** REQUEST_PERMISSION the simulated owner grants: the fleet records it through the permission API first. */
  grant?: string;
}

export interface ForcedFailure {
  /** How many of the next commands fail (Infinity = all). */
  remaining: number;
  mode: "fail" | "timeout";
  message: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Command failure rates when nothing is forced (the field's background noise). */
export const commandFailureRates: Record<CommandType, number> = {
  PING: 0.005,
  RUN_HEALTH_CHECK: 0.01,
  RESTART: 0.02,
  RESTART_AGENT: 0.01,
  REBOOT: 0.015,
  UPDATE_CONFIG: 0.05,
  UPDATE_FIRMWARE: 0.04,
  UPDATE_SOFTWARE: 0,
  STATUS_REQUEST: 0,
  RUN_COMMAND: 0,
  RUN_SCRIPT: 0,
  REQUEST_PERMISSION: 0,
};

/** The grants an operator may ask a simulated device's owner for (the permission API's keys). */
const PERMISSIONS = [
  "root_access",
  "command_execution",
  "process_monitoring",
  "filesystem_access",
  "network_monitoring",
];
/** Programs that switch user: refused without an explicit run_as_root, as the real agent does. */
const ELEVATE = /(^|[\s;&|(`$])(sudo|su|doas|pkexec)(\s|$|;)/;

export class SimulatedDevice {
  readonly deviceId: string;
  readonly siteId: string;
  readonly siteDeviceCount: number;
  configVersion: string;
  firmware: string;
  software: string | null;
  /** Share of release installs that fail at the install hook. */
  releaseFailureRate: number;
  readonly model: string;
  readonly collectionIntervalS: number;
  readonly faults = new Map<InjectedFaultKind, InjectedFault>();
  forced: ForcedFailure | undefined;
  /** What the device says it runs when it sets its grants (simulated POS terminals run Linux). */
  readonly osDetails = "Linux (simulated POS terminal)";
  /** How the simulated owner answers a request_permission: grant it, or refuse. */
  permissionPolicy: "auto" | "deny" = "auto";

  private readonly rng: Rng;
  private readonly cpuBase: number;
  private readonly memBase: number;
  private readonly latencyBase: number;
  private readonly avgTicket: number;
  private disk: number;
  private leak = 0;
  /** CPU points a runaway process takes (cpu_runaway). */
  private runaway = 0;
  private bootAt: number;
  private appStartAt: number;
  private lastReportAt: number | undefined;
  private todayKey = "";
  private transactionsToday = 0;
  private outcome: HealthOutcome = "healthy";
  private outcomeLeft = 0;
  /** Silent (rebooting or cut off) until this time. */
  private silentUntil = 0;
  private degraded = false;
  /** After a reboot the services start (CPU surge) until this time; after a config is applied, caches warm up. */
  private bootSurgeUntil = 0;
  private configBlipUntil = 0;

  constructor(spec: DeviceSpec, rng: Rng, now: Date) {
    this.deviceId = spec.deviceId;
    this.siteId = spec.siteId;
    this.siteDeviceCount = Math.max(1, spec.siteDeviceCount);
    this.rng = rng;
    this.configVersion = spec.configVersion ?? "1.0.0";
    this.firmware = spec.firmware ?? rng.pick(["2.4.1", "2.4.1", "2.4.3", "2.5.0"]);
    this.software = spec.software ?? null;
    this.releaseFailureRate = spec.releaseFailureRate ?? 0.02;
    this.model = spec.model ?? rng.pick(["POS-Terminal-X1", "POS-Terminal-X1", "POS-Terminal-X2"]);
    this.collectionIntervalS = spec.collectionIntervalS ?? 30;
    this.cpuBase = rng.range(8, 22);
    this.memBase = rng.range(35, 52);
    this.latencyBase = rng.range(18, 55);
    this.avgTicket = rng.range(18, 42);
    this.disk = rng.range(28, 62);
    // The fleet starts in its long-run state: some devices are already in the middle of an episode.
    let r = rng.next();
    for (const [kind, target] of Object.entries(outcomeTargets) as [
      Exclude<HealthOutcome, "healthy">,
      { share: number; meanReports: number },
    ][]) {
      r -= target.share;
      if (r < 0) {
        this.outcome = kind;
        while (rng.chance(1 - 1 / target.meanReports)) this.outcomeLeft += 1;
        break;
      }
    }
    // Devices have been up for a while when the simulation starts.
    this.bootAt = now.getTime() - rng.range(1, 14) * 24 * HOUR;
    this.appStartAt = this.bootAt + rng.range(0, 1) * HOUR;
  }

  /** True while the device cannot be reached (rebooting, network loss). */
  isSilent(at: Date): boolean {
    const t = at.getTime();
    const loss = this.faults.get("network_loss");
    if (loss && !loss.clearedAt) {
      const until = loss.injectedAt.getTime() + (loss.options.durationMs ?? 10 * MINUTE);
      if (t < until) {
        loss.failedAt ??= at;
        return true;
      }
      loss.clearedAt = new Date(until);
    }
    const flapping = this.faults.get("network_flapping");
    if (flapping && !flapping.clearedAt) {
      const since = t - flapping.injectedAt.getTime();
      if (since >= (flapping.options.durationMs ?? 30 * MINUTE)) flapping.clearedAt = at;
      else if (since % FLAP_CYCLE_MS < FLAP_DOWN_MS) {
        flapping.firstSymptomAt ??= at;
        flapping.failedAt ??= at;
        return true;
      }
    }
    return t < this.silentUntil;
  }

  injectFault(kind: InjectedFaultKind, at: Date, options: FaultOptions = {}): InjectedFault {
    const fault: InjectedFault = { kind, injectedAt: at, options };
    this.faults.set(kind, fault);
    return fault;
  }

  clearFault(kind: InjectedFaultKind, at: Date): InjectedFault | undefined {
    const fault = this.faults.get(kind);
    if (!fault) return undefined;
    fault.clearedAt ??= at;
    this.faults.delete(kind);
    if (kind === "memory_leak") this.leak = 0;
    if (kind === "cpu_runaway") this.runaway = 0;
    if (kind === "bad_config") this.degraded = false;
    return fault;
  }

  /** The next health report, or undefined while the device is silent. */
  report(at: Date, activity: SiteActivity): DeviceReport | undefined {
    if (this.isSilent(at)) return undefined;
    const t = at.getTime();
    const first = this.lastReportAt === undefined;
    const minutes = this.lastReportAt === undefined ? 0.5 : Math.max(0, (t - this.lastReportAt) / MINUTE);
    this.lastReportAt = t;
    const rng = this.rng;

    const day = at.toISOString().slice(0, 10);
    if (day !== this.todayKey) {
      this.todayKey = day;
      this.transactionsToday = 0;
    }

    // Background outcome: a Markov chain whose long-run shares match the targets.
    if (first && this.outcome !== "healthy") {
      // first report: the episode the device started in
    } else if (this.outcomeLeft > 0) {
      this.outcomeLeft -= 1; // the episode goes on
    } else {
      this.outcome = "healthy";
      for (const [kind, target] of Object.entries(outcomeTargets) as [
        Exclude<HealthOutcome, "healthy">,
        { share: number; meanReports: number },
      ][]) {
        const start = target.share / target.meanReports / healthyShare;
        if (rng.chance(start)) {
          this.outcome = kind;
          // Geometric duration with the target mean; this report is the first of the episode.
          let left = 0;
          while (rng.chance(1 - 1 / target.meanReports)) left += 1;
          this.outcomeLeft = left;
          break;
        }
      }
    }

    // Resources: daily shape from the site's load, slow drift, noise, then the faults on top.
    let cpu = this.cpuBase + activity.load * 38 + rng.normal(0, 3);
    this.disk += (minutes / 60) * 0.02; // logs and journals grow
    if (!activity.open && this.disk > 80 && rng.chance(0.02)) this.disk -= rng.range(8, 15); // nightly cleanup
    let latency = this.latencyBase * (1 + activity.load * 0.3) + Math.abs(rng.normal(0, 6));
    if (rng.chance(0.02)) latency *= rng.range(2, 5); // the odd spike
    const perDevicePerMinute = activity.transactionsPerMinute / this.siteDeviceCount;
    let transactions = activity.open ? rng.poisson(perDevicePerMinute * minutes) : 0;
    let errorRate = transactions > 0 ? clamp(rng.normal(0.6, 0.4), 0, 3) : 0;
    const connections = activity.open ? 2 + Math.round(activity.load * 8 + rng.normal(0, 1)) : 1;
    let queue = activity.open ? rng.poisson(activity.load * 3) : 0;
    let status: HealthPayload["status"] = "healthy";
    let error: string | null = null;
    let reportOutcome: DeviceReport["outcome"] = this.outcome;
    const services: Record<string, string> = {
      pos_app: "running",
      payment_gateway: "connected",
      database: "online",
      network: "connected",
    };

    // Injected faults (known ground truth).
    const leak = this.faults.get("memory_leak");
    if (leak) {
      this.leak += (minutes / 60) * (leak.options.ratePerHour ?? 60);
    }
    let memory = this.memBase + activity.load * 8 + this.leak + rng.normal(0, 1.2);
    if (leak && memory >= 85) leak.firstSymptomAt ??= at;
    if (leak && memory >= 97) {
      // Out of memory: the POS app crashes and is restarted by its supervisor; the leak starts over.
      leak.failedAt ??= at;
      status = "unhealthy";
      error = "Out of memory: pos_app crashed";
      services.pos_app = "error";
      reportOutcome = "crash";
      transactions = 0;
      errorRate = 100;
      memory = 98;
      this.leak = 0;
      this.appStartAt = t;
    }

    const filling = this.faults.get("disk_filling");
    if (filling) this.disk += (minutes / 60) * (filling.options.ratePerHour ?? 15);
    let disk = this.disk;
    if (this.outcome === "low_disk_space") disk = Math.max(disk, rng.range(90, 95));
    if (filling && disk >= 85) filling.firstSymptomAt ??= at;

    const gateway = this.faults.get("failing_gateway");
    let gatewaySeverity = 0;
    if (gateway) {
      gatewaySeverity = clamp(
        (t - gateway.injectedAt.getTime()) / ((gateway.options.rampMinutes ?? 20) * MINUTE),
        0,
        1,
      );
      latency += gatewaySeverity * rng.range(600, 2500);
      errorRate = Math.max(errorRate, gatewaySeverity * rng.range(20, 60));
      if (gatewaySeverity > 0.2) gateway.firstSymptomAt ??= at;
    }

    // A runaway process climbs until the CPU saturates and the POS app stops keeping up.
    const runaway = this.faults.get("cpu_runaway");
    if (runaway) this.runaway += (minutes / 60) * (runaway.options.ratePerHour ?? 60);
    cpu += this.runaway;
    if (runaway && cpu >= 85) runaway.firstSymptomAt ??= at;
    const saturated = runaway !== undefined && cpu >= 98;

    // A payment gateway slowing down over an hour: latency first, timeouts once it is slow enough.
    const slow = this.faults.get("slow_gateway");
    let slowTimeouts = false;
    if (slow) {
      const severity = clamp((t - slow.injectedAt.getTime()) / ((slow.options.rampMinutes ?? 60) * MINUTE), 0, 1);
      latency += severity * rng.range(1200, 1800);
      if (severity > 0.15) slow.firstSymptomAt ??= at;
      slowTimeouts = severity >= 0.8 && rng.chance(0.8);
    }

    // Benign, short: services starting after a reboot, cold caches after a new config (no random draws).
    if (t < this.bootSurgeUntil) cpu += (35 * (this.bootSurgeUntil - t)) / BOOT_SURGE_MS;
    if (t < this.configBlipUntil) {
      cpu += 10;
      latency *= 1.8;
    }

    if (this.degraded) {
      cpu += rng.range(20, 35);
      latency *= rng.range(2.5, 4);
      errorRate = Math.max(errorRate, rng.range(6, 15));
      queue += rng.int(5, 20);
      reportOutcome = "degraded";
    }

    if (status === "healthy") {
      if (disk >= 98) {
        if (filling) filling.failedAt ??= at;
        status = "unhealthy";
        error = "Disk full: transactions cannot be stored";
        services.pos_app = "error";
        reportOutcome = "disk_full";
        errorRate = Math.max(errorRate, rng.range(40, 80));
      } else if (saturated) {
        runaway.failedAt ??= at;
        status = "unhealthy";
        error = "CPU saturated: pos_app not responding";
        services.pos_app = "degraded";
        reportOutcome = "degraded";
        latency *= rng.range(2, 4);
        transactions = Math.round(transactions * 0.3);
        errorRate = Math.max(errorRate, rng.range(15, 40));
      } else if (this.outcome === "payment_gateway_timeout" || rng.chance(gatewaySeverity * 0.9) || slowTimeouts) {
        if (gateway && this.outcome !== "payment_gateway_timeout") gateway.failedAt ??= at;
        if (slow && slowTimeouts) slow.failedAt ??= at;
        status = "unhealthy";
        error = outcomeMessages.payment_gateway_timeout;
        services.pos_app = "error";
        services.payment_gateway = "disconnected";
        reportOutcome = "payment_gateway_timeout";
        latency += rng.range(800, 3000);
        transactions = Math.round(transactions * 0.3);
        errorRate = Math.max(errorRate, rng.range(20, 60));
        queue += rng.int(5, 25);
      } else if (this.outcome === "database_connection_failed") {
        status = "unhealthy";
        error = outcomeMessages.database_connection_failed;
        services.database = "offline";
        transactions = 0;
        errorRate = activity.open ? rng.range(50, 100) : 0;
        queue += rng.int(20, 80);
      } else if (disk >= 90) {
        if (filling) filling.firstSymptomAt ??= at;
        status = "unhealthy";
        error = outcomeMessages.low_disk_space;
        reportOutcome = "low_disk_space";
      } else if (this.degraded) {
        status = errorRate > 10 ? "unhealthy" : "healthy";
        error = status === "unhealthy" ? "High transaction error rate after configuration change" : null;
      }
    }

    this.transactionsToday += transactions;
    const volume = transactions * this.avgTicket * clamp(rng.normal(1, 0.12), 0.5, 1.6);
    cpu = clamp(cpu, 1, 100);
    memory = clamp(memory, 5, 100);
    disk = clamp(disk, 1, 100);
    this.disk = clamp(this.disk, 1, 100);
    const uptimeS = Math.round((t - this.bootAt) / 1000);
    const responseTime = Math.round(latency * 1.4 + rng.range(20, 60));
    const deviceInfo = {
      model: this.model,
      firmware: this.firmware,
      os: "Linux ARM",
      memory_mb: 2048,
      storage_gb: 16,
      uptime_hours: Math.floor(uptimeS / 3600),
    };
    const metrics = {
      cpu_percent: round(cpu),
      memory_percent: round(memory),
      disk_percent: round(disk),
      network_latency_ms: round(latency),
      transaction_count: transactions,
      transaction_volume: round(volume, 2),
      error_rate: round(clamp(errorRate, 0, 100), 2),
      active_connections: Math.max(0, connections),
      queue_depth: Math.max(0, queue),
    };
    const extra = {
      uptime_seconds: uptimeS,
      app_uptime_seconds: Math.round((t - this.appStartAt) / 1000),
      daily_transactions: this.transactionsToday,
      services,
      device_info: deviceInfo,
      config_version: this.configVersion,
      site_open: activity.open,
      peak_hours: activity.peak,
      collection_interval_seconds: this.collectionIntervalS,
    };
    return {
      deviceId: this.deviceId,
      at,
      outcome: reportOutcome,
      health: {
        status,
        config_version: this.configVersion,
        ...(this.software ? { software_version: this.software } : {}),
        response_time_ms: responseTime,
        device_info: deviceInfo,
        services,
        metrics: {
          ...metrics,
          cpu_usage_percent: metrics.cpu_percent,
          memory_usage_percent: metrics.memory_percent,
          disk_usage_percent: metrics.disk_percent,
          // transaction_count is per report (since the previous one); the day's running total rides along.
          daily_transactions: this.transactionsToday,
          uptime_seconds: uptimeS,
          app_uptime_seconds: extra.app_uptime_seconds,
          collection_interval_seconds: this.collectionIntervalS,
        },
        error,
      },
      metrics: { device_id: this.deviceId, ...metrics, extra_metrics: extra },
    };
  }

  /** Decides how a command will go; `applyCommand` makes its effects real when it completes. */
  planCommand(command: CommandRequest, at: Date): CommandPlan {
    const rng = this.rng;
    const type = command.commandType.toUpperCase();
    const plan: CommandPlan = {
      commandId: command.commandId,
      commandType: type,
      durationMs: 0,
      outcome: ok({}),
      downtimeMs: 0,
      reboot: false,
    };
    const forced = this.forced && this.forced.remaining > 0 ? this.forced : undefined;
    if (forced) {
      forced.remaining -= 1;
      if (forced.remaining <= 0) this.forced = undefined;
    }
    const steps: { step: string; duration_ms: number; status: string }[] = [];
    const step = (name: string, min: number, max: number, status = "ok") => {
      const d = Math.round(rng.range(min, max));
      steps.push({ step: name, duration_ms: d, status });
      plan.durationMs += d;
      return d;
    };
    const randomFailure = rng.chance(commandFailureRates[type as CommandType] ?? 0);
    /** A step that fails with probability `p` (recorded as failed; the command fails with `message`): false then. */
    const stepMayFail = (name: string, min: number, max: number, p: number, message: string): boolean => {
      const failed = rng.chance(p);
      step(name, min, max, failed ? "failed" : "ok");
      if (failed) plan.outcome = fail(message, { steps });
      return !failed;
    };
    /** Succeeds with `result` unless the command fails at random (then with `message`). */
    const okUnlessFailed = (result: Record<string, unknown>, message: string) =>
      randomFailure ? fail(message) : ok(result);
    /** The health check that closes an update: the command's random failure shows here (the update is undone). */
    const checkAfterUpdate = (message: string): boolean => {
      step("health_check", 500, 2000);
      if (randomFailure) plan.outcome = fail(message, { steps });
      return !randomFailure;
    };

    // A release install (payload.release) is planned apart; the switch then falls to its own case.
    const release = /^UPDATE_(SOFTWARE|FIRMWARE)$/.test(type) && command.payload?.release !== undefined;
    if (release) this.planRelease(plan, command, step);
    switch (release ? "RELEASE" : type) {
      case "RELEASE":
        break;
      case "PING": {
        const rtt = step("ping", 40, 350);
        plan.outcome = okUnlessFailed(
          { pong: true, round_trip_ms: rtt, uptime_seconds: Math.round((at.getTime() - this.bootAt) / 1000) },
          "No reply from pos_app within 5 s",
        );
        break;
      }
      case "STATUS_REQUEST": {
        step("status", 20, 200);
        plan.outcome = ok({
          status: this.outcome === "healthy" && !this.degraded ? "healthy" : "unhealthy",
          outcome: this.outcome,
          config_version: this.configVersion ?? null,
          uptime_seconds: Math.round((at.getTime() - this.bootAt) / 1000),
          simulated: true,
        });
        break;
      }
      case "RUN_HEALTH_CHECK": {
        step("health_check", 500, 2500);
        plan.outcome = okUnlessFailed(
          {
            status: this.outcome === "healthy" && !this.degraded ? "healthy" : "unhealthy",
            outcome: this.outcome,
          },
          "Health check script exited with code 1",
        );
        break;
      }
      case "RESTART": {
        const d = step("restart_app", 4000, 12000);
        plan.downtimeMs = d;
        plan.outcome = okUnlessFailed({ restarted: true, downtime_ms: d }, "pos_app failed to start after restart");
        break;
      }
      case "RESTART_AGENT": {
        const d = step("restart_agent", 800, 3000);
        plan.outcome = okUnlessFailed({ restarted: "agent", downtime_ms: d }, "Agent did not come back after restart");
        break;
      }
      case "REBOOT": {
        const d = step("reboot", 30_000, 90_000);
        plan.downtimeMs = d;
        plan.reboot = true;
        plan.outcome = okUnlessFailed({ rebooted: true, downtime_ms: d }, "Device did not come back after reboot");
        break;
      }
      case "UPDATE_CONFIG": {
        const payload = command.payload ?? {};
        const version = String(payload.config_version ?? payload.version ?? nextVersion(this.configVersion));
        if (rng.chance(0.03)) {
          step("download", 30_000, 30_000, "timeout");
          plan.outcome = fail(
            `Config download timed out after 30 s (${String(payload.config_url ?? "config server")})`,
            { steps },
          );
          break;
        }
        step("download", 800, 6000);
        if (!stepMayFail("validate", 200, 1000, 0.01, "Config validation failed: checksum mismatch")) break;
        step("apply", 300, 2000);
        const restart = step("restart", 4000, 10_000);
        plan.downtimeMs = plan.durationMs;
        if (!checkAfterUpdate("Health check failed after applying config; previous config restored")) break;
        plan.newConfigVersion = version;
        plan.outcome = ok({
          config_version: version,
          previous_version: this.configVersion,
          steps,
          restart_ms: restart,
        });
        break;
      }
      case "UPDATE_FIRMWARE": {
        const payload = command.payload ?? {};
        const version = String(payload.firmware_version ?? payload.version ?? nextVersion(this.firmware));
        step("download", 8000, 40_000);
        if (!stepMayFail("verify", 500, 2000, 0.01, "Firmware image signature verification failed")) break;
        step("install", 15_000, 45_000);
        const reboot = step("reboot", 30_000, 90_000);
        plan.downtimeMs = reboot;
        plan.reboot = true;
        if (!checkAfterUpdate("Device came back on the previous firmware (boot check failed)")) break;
        plan.newFirmware = version;
        plan.outcome = ok({ firmware_version: version, previous_version: this.firmware, steps });
        break;
      }
      case "RUN_COMMAND":
      case "RUN_SCRIPT": {
        const payload = command.payload ?? {};
        const text = String((type === "RUN_COMMAND" ? payload.command : payload.script) ?? "");
        const asRoot = payload.run_as_root === true;
        const d = step("exec", 20, 400);
        if (ELEVATE.test(text) && !asRoot) {
          const why = "not permitted: sudo/su/doas/pkexec need root_access and run_as_root";
          plan.outcome = fail(why, { refused: true, error: why });
          break;
        }
        const shell = this.shell(text, at, asRoot);
        const result = {
          exit_code: shell.exitCode,
          signal: null,
          stdout: shell.stdout,
          stderr: shell.stderr,
          truncated: false,
          timed_out: false,
          run_as_root: asRoot,
          duration_ms: d,
          simulated: true,
        };
        plan.outcome =
          shell.exitCode === 0
            ? ok(result)
            : { status: "failed", result, error_message: `exited with code ${shell.exitCode}` };
        break;
      }
      case "REQUEST_PERMISSION": {
        const permission = String(command.payload?.permission ?? "");
        step("ask_owner", 200, 2000);
        if (!PERMISSIONS.includes(permission)) {
          plan.outcome = fail(`unknown permission ${permission}`, { error: "unknown permission" });
          break;
        }
        if (this.permissionPolicy === "deny") {
          plan.outcome = fail(`the device's owner does not grant ${permission} on request`, {
            permission,
            granted: false,
            policy: "deny",
          });
          break;
        }
        plan.grant = permission;
        plan.outcome = ok({ permission, granted: true, policy: "auto", simulated: true });
        break;
      }
      default:
        step("dispatch", 10, 50);
        plan.outcome = fail(`Unsupported command type: ${command.commandType}`);
    }

    if (forced) {
      plan.outcome = forced.mode === "timeout" ? "no_answer" : fail(forced.message, { forced: true });
      plan.newConfigVersion = undefined;
      plan.newFirmware = undefined;
      plan.reboot = false;
      plan.downtimeMs = 0;
    } else if ((type === "UPDATE_CONFIG" || type === "UPDATE_FIRMWARE" || type === "REBOOT") && rng.chance(0.003)) {
      plan.outcome = "no_answer"; // the device hangs and never answers: the server's timeout must catch it
    }
    return plan;
  }

  /**
   * A release install: download, verify and install take their time; whether the install hook fails is decided now
   * (`releaseFailureRate`). The bytes are fetched and checked by the fleet when the time is up (`installRelease`).
   */
  private planRelease(
    plan: CommandPlan,
    command: CommandRequest,
    step: (name: string, min: number, max: number) => number,
  ): void {
    const release = parseReleasePayload(command.payload);
    step("download", 2000, 10_000);
    if (typeof release === "string") {
      plan.outcome = fail(`release refused: ${release}`, { outcome: "refused", error: release });
      return;
    }
    step("verify", 300, 1500);
    step("install", 3000, 15_000);
    plan.release = release;
    if (this.rng.chance(this.releaseFailureRate))
      plan.releaseFailure = "install hook failed (exit 1): post-install check did not pass (simulated)";
  }

  /**
   * A small POS shell: each line of a command or script gives the output a terminal would (echo, uptime, whoami,
   * hostname, df, free, systemctl status|restart, cat /etc/os-release, exit N); anything else is "not found"
   * (exit 127) and stops the run, as `sh -e` would.
   */
  private shell(text: string, at: Date, asRoot: boolean): { exitCode: number; stdout: string; stderr: string } {
    let stdout = "";
    const upS = Math.round((at.getTime() - this.bootAt) / 1000);
    for (const raw of text.split(/\n|;|&&/)) {
      const line = raw.trim().replace(/^(sudo|doas)\s+(-\S+\s+)*/, "");
      if (!line || line.startsWith("#")) continue;
      const [cmd, ...args] = line.split(/\s+/);
      switch (cmd) {
        case "echo":
          stdout += `${args.join(" ").replace(/^["']|["']$/g, "")}\n`;
          break;
        case "true":
          break;
        case "uptime":
          stdout += `up ${Math.floor(upS / 3600)}:${String(Math.floor((upS % 3600) / 60)).padStart(2, "0")}, load average: ${(this.cpuBase / 50).toFixed(2)}\n`;
          break;
        case "whoami":
          stdout += `${asRoot ? "root" : "pos"}\n`;
          break;
        case "hostname":
          stdout += `${this.deviceId}\n`;
          break;
        case "df":
          stdout += `Filesystem Use% Mounted on\n/dev/mmcblk0p2 ${Math.round(this.disk)}% /\n`;
          break;
        case "free":
          stdout += `Mem: ${Math.round(this.memBase)}% used\n`;
          break;
        case "cat":
          if (args[0] !== "/etc/os-release")
            return { exitCode: 1, stdout, stderr: `cat: ${args[0] ?? ""}: No such file or directory\n` };
          stdout += 'NAME="POS Linux"\nVERSION_ID="simulated"\n';
          break;
        case "systemctl":
          if (args[0] === "restart") {
            if (!asRoot) return { exitCode: 4, stdout, stderr: "Failed to restart: Access denied\n" };
            this.appStartAt = at.getTime();
          } else stdout += `● ${args[1] ?? "pos"}.service - active (running)\n`;
          break;
        case "exit": {
          const code = Number(args[0] ?? 0);
          return { exitCode: Number.isInteger(code) ? code : 2, stdout, stderr: "" };
        }
        default:
          return { exitCode: 127, stdout, stderr: `sh: ${cmd}: not found\n` };
      }
    }
    return { exitCode: 0, stdout, stderr: "" };
  }

  /** Starts executing: restarts and reboots take the device down for a while. */
  beginCommand(plan: CommandPlan, at: Date): void {
    if (plan.reboot) this.silentUntil = Math.max(this.silentUntil, at.getTime() + plan.downtimeMs);
  }

  /** The command finished: its effects (new config, fresh uptime, cleared transient faults). */
  applyCommand(plan: CommandPlan, at: Date): void {
    if (plan.outcome === "no_answer" || plan.outcome.status !== "succeeded") return;
    const t = at.getTime();
    if (plan.commandType === "UPDATE_CONFIG") this.configBlipUntil = t + CONFIG_BLIP_MS;
    if (plan.commandType === "RESTART" || plan.commandType === "UPDATE_CONFIG") {
      this.appStartAt = t;
      this.leak = 0;
      this.outcomeLeft = 0;
      this.outcome = "healthy";
    }
    if (plan.reboot) {
      this.bootSurgeUntil = t + BOOT_SURGE_MS;
      this.bootAt = t;
      this.appStartAt = t;
      this.leak = 0;
      this.outcomeLeft = 0;
      this.outcome = "healthy";
    }
    if (plan.newFirmware !== undefined) this.firmware = plan.newFirmware;
    if (plan.newSoftware !== undefined) this.software = plan.newSoftware;
    if (plan.newConfigVersion !== undefined) {
      this.configVersion = plan.newConfigVersion;
      const bad = this.faults.get("bad_config");
      if (bad) {
        if (bad.badVersion === undefined) {
          // The armed bad config is this one: performance degrades from now on.
          bad.badVersion = plan.newConfigVersion;
          bad.failedAt = at;
          bad.firstSymptomAt = at;
          this.degraded = true;
        } else if (bad.badVersion !== plan.newConfigVersion) {
          // Another config (a rollback) replaced the bad one.
          bad.clearedAt = at;
          this.faults.delete("bad_config");
          this.degraded = false;
        }
      }
    }
  }

  get isDegraded(): boolean {
    return this.degraded;
  }
}

function ok(result: Record<string, unknown>): CommandResult {
  return { status: "succeeded", result, error_message: null };
}
function fail(message: string, result: Record<string, unknown> | null = null): CommandResult {
  return { status: "failed", result, error_message: message };
}
function nextVersion(v: string): string {
  const parts = v.split(".").map((p) => Number(p));
  if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p))) return `${v}.1`;
  return `${parts[0]}.${(parts[1] ?? 0) + 1}.0`;
}
