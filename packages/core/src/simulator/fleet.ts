import { type Clock, type Logger, silentLogger, systemClock } from "../context.ts";
import { applySiteEvent, type BenignEvent } from "./benign-events.ts";
import {
  type CommandPlan,
  type CommandRequest,
  type CommandResult,
  type DeviceReport,
  type DeviceSpec,
  type FaultOptions,
  type InjectedFault,
  type InjectedFaultKind,
  SimulatedDevice,
} from "./device-model.ts";
import { Rng } from "./random.ts";
import { type FetchReleaseRange, installRelease } from "./release-install.ts";
import { LagRecorder, ManualClock, mapLimit, TimerQueue } from "./scheduler.ts";
import { defaultWeek, type SiteProfile, siteActivity } from "./site-activity.ts";

/** How the fleet talks to a server: in-process use cases, or HTTP like a real agent. */
export interface FleetTransport {
  /** Delivers the reports that came due together (health check + metrics of each); answers how many failed. */
  sendReports(reports: DeviceReport[]): Promise<number>;
  /** Fetches the device's pending commands (and marks them sent). */
  claimCommands(deviceId: string): Promise<CommandRequest[]>;
  /** Reports a command's result. */
  reportResult(deviceId: string, commandId: string, result: CommandResult): Promise<void>;
  /** The device's owner grants a permission on the device, through the permission API (as a real agent does). */
  grantPermission?(deviceId: string, permission: string, osDetails: string): Promise<void>;
  /** Fetches a byte range of a release as the device (releases are not installed without it). */
  fetchRelease?: FetchReleaseRange;
  /** True: poll for commands after every report (HTTP agents). False: wait for `notifyCommand`. */
  readonly pollOnReport: boolean;
  /** Optional sweep for devices with commands waiting (catches commands queued while stopped). */
  devicesWithPendingCommands?(deviceIds: string[]): Promise<string[]>;
}

/** Bytes a simulated device asks for per Range request when it downloads a release. */
const RELEASE_RANGE_BYTES = 256 * 1024;

export interface FleetOptions {
  devices: DeviceSpec[];
  /** Operating schedules by site; a site without one gets a plain 09–21 week in UTC. */
  sites?: SiteProfile[];
  transport: FleetTransport;
  clock?: Clock;
  seed?: number | string;
  /** Health report interval per device (default 30 s). */
  intervalMs?: number;
  /** Sweep interval for waiting commands, when the transport supports it (default 60 s). */
  sweepMs?: number;
  /** Reports sent per transport call at most (default 500). */
  maxBatch?: number;
  /**
   * Reports handed to the transport and not yet stored, at most (default 5000). In real time the
   * scheduler does not wait for writes below this; above it, it waits (and the lag shows it).
   */
  maxInflight?: number;
  /**
   * Shortest pause between two real-time ticks (default 50 ms): reports due within it travel together,
   * which lets the transport batch its writes.
   */
  tickMs?: number;
  /** Commands claimed / results reported in parallel at most (default 16). */
  concurrency?: number;
  logger?: Logger;
}

export interface FleetStats {
  devices: number;
  reportsSent: number;
  reportsFailed: number;
  reportsSkipped: number;
  commandsStarted: number;
  commandsSucceeded: number;
  commandsFailed: number;
  commandsUnanswered: number;
  transportErrors: number;
  /** How late reports were delivered (stored by the transport) after their due time (ms). */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  outcomes: Record<string, number>;
}

export interface FaultRecord extends InjectedFault {
  deviceId: string;
}

type Event =
  | { type: "report"; device: number; recurring: boolean }
  | { type: "claim"; device: number }
  | { type: "command_done"; device: number; plan: CommandPlan }
  | { type: "sweep" };

const MAX_DELAY_MS = 1000;

/**
 * The fleet simulator: devices, one timer queue, one transport. Drive it in real time (`start`/`stop`)
 * or deterministically with a ManualClock (`advance(ms)` / `tick(now)`).
 */
export class Fleet {
  readonly clock: Clock;
  readonly intervalMs: number;
  private readonly devices: SimulatedDevice[] = [];
  private readonly index = new Map<string, number>();
  private readonly sites = new Map<string, SiteProfile>();
  private readonly queue = new TimerQueue<Event>();
  private readonly transport: FleetTransport;
  private readonly rng: Rng;
  private readonly logger: Logger;
  private readonly maxBatch: number;
  private readonly maxInflight: number;
  private readonly tickMs: number;
  private readonly inflight = new Set<Promise<void>>();
  private inflightReports = 0;
  private readonly concurrency: number;
  private readonly sweepMs: number;
  private readonly lag = new LagRecorder();
  private readonly faultHistory: FaultRecord[] = [];
  private readonly benignHistory: BenignEvent[] = [];
  /** The latest site-wide benign event of each site (rush, quiet). */
  private readonly siteEvents = new Map<string, BenignEvent>();
  private readonly claiming = new Set<number>();
  private readonly busy = new Map<number, number>();
  /** Devices told to stop (suspended, unpaired, archived): their reports are skipped until resumed. */
  private readonly paused = new Set<number>();
  private readonly counters = {
    reportsSent: 0,
    reportsFailed: 0,
    reportsSkipped: 0,
    commandsStarted: 0,
    commandsSucceeded: 0,
    commandsFailed: 0,
    commandsUnanswered: 0,
    transportErrors: 0,
  };
  private readonly outcomes: Record<string, number> = {};
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking: Promise<void> | undefined;
  /** Real-time lag is measured against the wall clock; a manual clock has no lag by construction. */
  private readonly manual: boolean;

  constructor(options: FleetOptions) {
    this.clock = options.clock ?? systemClock;
    this.manual = this.clock instanceof ManualClock;
    this.intervalMs = options.intervalMs ?? 30_000;
    if (!(this.intervalMs >= 1000)) throw new Error("intervalMs must be at least 1000");
    this.transport = options.transport;
    this.rng = new Rng(options.seed ?? 42);
    this.logger = options.logger ?? silentLogger;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInflight = options.maxInflight ?? 5000;
    this.tickMs = options.tickMs ?? 50;
    this.concurrency = options.concurrency ?? 16;
    this.sweepMs = options.sweepMs ?? 60_000;
    for (const site of options.sites ?? []) this.sites.set(site.siteId, site);
    const now = this.clock.now();
    for (const spec of options.devices) this.addDevice(spec, now);
    if (this.transport.devicesWithPendingCommands) this.queue.push(now.getTime(), { type: "sweep" });
  }

  /** Adds a device; its first report comes at a random point of the first interval (spreads the load). */
  addDevice(spec: DeviceSpec, now = this.clock.now()): void {
    if (this.index.has(spec.deviceId)) return;
    // Each sample declares the interval the device reports at (device_metrics.collection_interval_s).
    const collectionIntervalS = Math.round(this.intervalMs / 1000);
    const device = new SimulatedDevice({ ...spec, collectionIntervalS }, this.rng.fork(spec.deviceId), now);
    this.index.set(spec.deviceId, this.devices.length);
    this.devices.push(device);
    if (!this.sites.has(spec.siteId))
      this.sites.set(spec.siteId, { siteId: spec.siteId, timezone: "UTC", days: defaultWeek() });
    const phase = Math.floor(this.rng.range(0, this.intervalMs));
    this.queue.push(now.getTime() + phase, { type: "report", device: this.devices.length - 1, recurring: true });
  }

  get size(): number {
    return this.devices.length;
  }

  has(deviceId: string): boolean {
    return this.index.has(deviceId);
  }

  deviceIds(): string[] {
    return this.devices.map((d) => d.deviceId);
  }

  /** The model of one device (for tests and backtests to inspect). */
  device(deviceId: string): SimulatedDevice {
    const i = this.index.get(deviceId);
    if (i === undefined) throw new Error(`not a simulated device: ${deviceId}`);
    return this.devices[i] as SimulatedDevice;
  }

  /** Stops a device's reports and command claims (it keeps its place, so `unpause` picks up where it was). */
  pause(deviceId: string): void {
    const i = this.index.get(deviceId);
    if (i !== undefined) this.paused.add(i);
  }

  unpause(deviceId: string): void {
    const i = this.index.get(deviceId);
    if (i !== undefined) this.paused.delete(i);
  }

  isPaused(deviceId: string): boolean {
    const i = this.index.get(deviceId);
    return i !== undefined && this.paused.has(i);
  }

  setSiteProfile(profile: SiteProfile): void {
    this.sites.set(profile.siteId, profile);
  }

  /** A command was queued for `deviceId` (command bus): claim it now. */
  notifyCommand(deviceId: string): void {
    const i = this.index.get(deviceId);
    if (i === undefined) return;
    this.queue.push(this.clock.now().getTime(), { type: "claim", device: i });
    if (this.running && !this.manual) this.reschedule(0);
  }

  /** Starts a fault with known ground truth on one device. */
  injectFault(deviceId: string, kind: InjectedFaultKind, options: FaultOptions = {}): FaultRecord {
    const fault = this.device(deviceId).injectFault(kind, this.clock.now(), options);
    const record = Object.assign(fault, { deviceId }) as FaultRecord;
    this.faultHistory.push(record);
    return record;
  }

  clearFault(deviceId: string, kind: InjectedFaultKind): void {
    this.device(deviceId).clearFault(kind, this.clock.now());
  }

  /**
   * Starts a site-wide benign event (`opening_rush`, `closing_quiet`) lasting `durationMs`; its ground truth is
   * kept in `benignEvents()`.
   */
  startSiteEvent(siteId: string, kind: "opening_rush" | "closing_quiet", durationMs: number): BenignEvent {
    const at = this.clock.now();
    const event: BenignEvent = { kind, siteId, deviceId: null, at, until: new Date(at.getTime() + durationMs) };
    this.siteEvents.set(siteId, event);
    this.benignHistory.push(event);
    return event;
  }

  /**
   * Records a benign device event the caller caused through the server (a planned REBOOT, a good UPDATE_CONFIG
   * queued as a job would): the device model does the rest when it runs the command.
   */
  noteBenignEvent(deviceId: string, kind: "planned_restart" | "config_blip", durationMs: number): BenignEvent {
    const at = this.clock.now();
    const siteId = this.device(deviceId).siteId;
    const event: BenignEvent = { kind, siteId, deviceId, at, until: new Date(at.getTime() + durationMs) };
    this.benignHistory.push(event);
    return event;
  }

  /** Every benign event so far (ground truth: none of them should raise an alarm). */
  benignEvents(): BenignEvent[] {
    return this.benignHistory.map((e) => ({ ...e }));
  }

  /** The next `count` commands of the device fail (or never answer, mode "timeout"). */
  /** Share (0–1) of this device's release installs whose install hook fails. */
  setReleaseFailureRate(deviceId: string, rate: number): void {
    this.device(deviceId).releaseFailureRate = Math.min(1, Math.max(0, rate));
  }

  forceCommandFailures(
    deviceId: string,
    count = Number.POSITIVE_INFINITY,
    options: { mode?: "fail" | "timeout"; message?: string } = {},
  ): void {
    this.device(deviceId).forced = {
      remaining: count,
      mode: options.mode ?? "fail",
      message: options.message ?? "Simulated failure (forced)",
    };
  }

  clearForcedFailures(deviceId: string): void {
    this.device(deviceId).forced = undefined;
  }

  /** Every fault injected so far with when it showed, failed and cleared. */
  groundTruth(): FaultRecord[] {
    return this.faultHistory.map((f) => ({ ...f }));
  }

  stats(): FleetStats {
    return {
      devices: this.devices.length,
      ...this.counters,
      lagP50Ms: this.lag.percentile(50),
      lagP99Ms: this.lag.percentile(99),
      lagMaxMs: this.lag.max,
      outcomes: { ...this.outcomes },
    };
  }

  resetLag(): void {
    this.lag.reset();
  }

  /** Real time: one timer that wakes at the next due event. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.reschedule(0);
  }

  /** Stops the timer and waits for the tick in progress. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    await this.drain();
  }

  /** Waits until every report handed to the transport has been delivered. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** Moves a ManualClock forward by `ms`, processing every event at (about) its due time, in order. */
  async advance(ms: number, resolutionMs = 1000): Promise<void> {
    if (!(this.clock instanceof ManualClock)) throw new Error("advance() needs a ManualClock");
    const target = this.clock.now().getTime() + ms;
    for (;;) {
      const now = this.clock.now().getTime();
      const due = this.queue.peekDue();
      if (due === undefined || due > target) break;
      // Jump to the next due event (batching everything within `resolutionMs` of it).
      const step = Math.min(target, Math.max(now, due + resolutionMs - 1));
      this.clock.set(step);
      await this.tick(step);
    }
    this.clock.set(target);
  }

  /** Processes everything due at or before `now`; concurrent calls share one run. */
  tick(now = this.clock.now().getTime()): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runDue(now).finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private reschedule(delay?: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const due = this.queue.peekDue();
    const wait =
      delay ?? (due === undefined ? MAX_DELAY_MS : Math.min(MAX_DELAY_MS, Math.max(this.tickMs, due - Date.now())));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick(this.clock.now().getTime()).finally(() => this.reschedule());
    }, wait);
    this.timer.unref?.();
  }

  private async runDue(now: number): Promise<void> {
    let reports: DeviceReport[] = [];
    let dues: number[] = [];
    const claims: number[] = [];
    const finished: { device: number; plan: CommandPlan }[] = [];
    let sweep = false;
    const wall = () => (this.manual ? now : this.clock.now().getTime());

    for (let popped = this.queue.popDue(now); popped; popped = this.queue.popDue(now)) {
      const { due, item: event } = popped;
      switch (event.type) {
        case "report": {
          const device = this.devices[event.device] as SimulatedDevice;
          if (event.recurring) this.queue.push(due + this.intervalMs, event);
          const at = new Date(this.manual ? now : Math.max(due, wall()));
          const busyUntil = this.busy.get(event.device) ?? 0;
          const report =
            busyUntil > at.getTime() || this.paused.has(event.device)
              ? undefined
              : device.report(at, this.activityOf(device, at));
          if (!report) {
            this.counters.reportsSkipped += 1;
            break;
          }
          this.outcomes[report.outcome] = (this.outcomes[report.outcome] ?? 0) + 1;
          reports.push(report);
          dues.push(due);
          if (reports.length >= this.maxBatch) {
            await this.dispatch(reports, dues);
            reports = [];
            dues = [];
          }
          break;
        }
        case "claim":
          if (!claims.includes(event.device) && !this.paused.has(event.device)) claims.push(event.device);
          break;
        case "command_done":
          finished.push({ device: event.device, plan: event.plan });
          break;
        case "sweep":
          sweep = true;
          this.queue.push(due + this.sweepMs, event);
          break;
      }
    }

    if (reports.length > 0) await this.dispatch(reports, dues);
    if (finished.length > 0) await mapLimit(finished, this.concurrency, (f) => this.finishCommand(f.device, f.plan));
    if (sweep && this.transport.devicesWithPendingCommands) {
      try {
        const ids = await this.transport.devicesWithPendingCommands(this.deviceIds());
        for (const id of ids) {
          const i = this.index.get(id);
          if (i !== undefined && !claims.includes(i)) claims.push(i);
        }
      } catch (error) {
        this.transportError(error, "sweep");
      }
    }
    if (claims.length > 0) await mapLimit(claims, this.concurrency, (i) => this.claim(i));
    // On a manual clock everything due is delivered before time moves on (deterministic backtests).
    if (this.manual) await this.drain();
  }

  /** Hands reports to the transport without waiting for them, unless too many are still in flight. */
  private async dispatch(reports: DeviceReport[], dues: number[]): Promise<void> {
    while (this.inflightReports >= this.maxInflight && this.inflight.size > 0) await Promise.race([...this.inflight]);
    this.inflightReports += reports.length;
    const delivery: Promise<void> = this.flushReports(reports, dues).finally(() => {
      this.inflightReports -= reports.length;
      this.inflight.delete(delivery);
    });
    this.inflight.add(delivery);
  }

  private siteOf(device: SimulatedDevice): SiteProfile {
    return this.sites.get(device.siteId) as SiteProfile;
  }

  private activityOf(device: SimulatedDevice, at: Date) {
    return applySiteEvent(siteActivity(this.siteOf(device), at), this.siteEvents.get(device.siteId), at);
  }

  private async flushReports(reports: DeviceReport[], dues?: number[]): Promise<void> {
    try {
      const failed = await this.transport.sendReports(reports);
      this.counters.reportsSent += reports.length - failed;
      this.counters.reportsFailed += failed;
      if (dues && !this.manual) {
        const now = this.clock.now().getTime();
        for (const due of dues) this.lag.record(Math.max(0, now - due));
      }
    } catch (error) {
      this.counters.reportsFailed += reports.length;
      this.transportError(error, "report");
    }
    if (this.transport.pollOnReport) {
      await mapLimit(reports, this.concurrency, (r) => this.claim(this.index.get(r.deviceId) as number));
    }
  }

  private async claim(i: number): Promise<void> {
    const device = this.devices[i] as SimulatedDevice;
    const now = this.clock.now();
    if (this.claiming.has(i) || device.isSilent(now)) return;
    this.claiming.add(i);
    try {
      const commands = await this.transport.claimCommands(device.deviceId);
      for (const command of commands) {
        const at = this.clock.now();
        const plan = device.planCommand(command, at);
        device.beginCommand(plan, at);
        if (plan.downtimeMs > 0) this.busy.set(i, Math.max(this.busy.get(i) ?? 0, at.getTime() + plan.downtimeMs));
        this.counters.commandsStarted += 1;
        this.queue.push(at.getTime() + plan.durationMs, { type: "command_done", device: i, plan });
      }
      if (commands.length > 0 && this.running && !this.manual) this.reschedule();
    } catch (error) {
      this.transportError(error, "claim");
    } finally {
      this.claiming.delete(i);
    }
  }

  private async finishCommand(i: number, plan: CommandPlan): Promise<void> {
    const device = this.devices[i] as SimulatedDevice;
    if (plan.release && plan.outcome !== "no_answer" && plan.outcome.status === "succeeded")
      await this.installRelease(device, plan);
    const at = this.clock.now();
    device.applyCommand(plan, at);
    if (plan.outcome === "no_answer") {
      this.counters.commandsUnanswered += 1;
      return;
    }
    // A granted request is recorded first, so the result never claims a grant the server does not hold.
    if (plan.grant && plan.outcome.status === "succeeded" && this.transport.grantPermission) {
      try {
        await this.transport.grantPermission(device.deviceId, plan.grant, device.osDetails);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        plan.outcome = { status: "failed", result: { permission: plan.grant, granted: false }, error_message: message };
      }
    }
    if (plan.outcome.status === "succeeded") this.counters.commandsSucceeded += 1;
    else this.counters.commandsFailed += 1;
    // A health check, restart or config change ends with a fresh report (performance after the change).
    if (
      ["RUN_HEALTH_CHECK", "RESTART", "REBOOT", "UPDATE_CONFIG", "UPDATE_FIRMWARE", "UPDATE_SOFTWARE"].includes(
        plan.commandType,
      )
    ) {
      this.busy.delete(i);
      const report = device.report(at, this.activityOf(device, at));
      if (report) {
        this.outcomes[report.outcome] = (this.outcomes[report.outcome] ?? 0) + 1;
        if (plan.outcome.status === "succeeded" && plan.commandType === "RUN_HEALTH_CHECK") {
          plan.outcome.result = {
            ...plan.outcome.result,
            status: report.health.status,
            error: report.health.error,
            response_time_ms: report.health.response_time_ms,
            metrics: report.metrics,
          };
        }
        await this.flushReports([report]);
      }
    }
    try {
      await this.transport.reportResult(device.deviceId, plan.commandId, plan.outcome);
    } catch (error) {
      this.transportError(error, "result");
    }
  }

  /** Downloads the plan's release in Range requests through the transport, verifies and "installs" it. */
  private async installRelease(device: SimulatedDevice, plan: CommandPlan): Promise<void> {
    const release = plan.release;
    if (!release) return;
    const fetchRange = this.transport.fetchRelease?.bind(this.transport);
    const firmware = release.release_type === "firmware";
    plan.outcome = fetchRange
      ? await installRelease(fetchRange, device.deviceId, release, {
          rangeBytes: RELEASE_RANGE_BYTES,
          previous: firmware ? device.firmware : device.software,
          failure: plan.releaseFailure,
        })
      : { status: "failed", result: { outcome: "failed" }, error_message: "this simulator cannot download releases" };
    if (plan.outcome.status !== "succeeded") return;
    if (firmware) plan.newFirmware = release.version;
    else plan.newSoftware = release.version;
  }

  private transportError(error: unknown, where: string): void {
    this.counters.transportErrors += 1;
    this.logger.warn(
      { err: error instanceof Error ? error.message : String(error), where },
      "simulator transport error",
    );
  }
}
