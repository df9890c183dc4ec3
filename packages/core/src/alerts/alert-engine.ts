import { defaultTemplate, renderTemplate } from "@homepot/contracts/alert-templates";
import type { RuleType } from "@homepot/contracts/alerts";
import type { Context } from "../context.ts";
import type { Signal, SignalSink } from "../signals.ts";
import { DEFAULT_TENANT_ID } from "../tenants/tenant.repository.ts";
import { listActiveFingerprints, listActiveFingerprintsLike } from "./alert.repository.ts";
import { ensureDefaultAlertRules } from "./default-rules.ts";
import {
  inMaintenanceWindow,
  type LiveDevice,
  type LiveRule,
  type LiveSite,
  loadLiveDevices,
  loadLiveRules,
  loadLiveSites,
  siteOpen,
} from "./engine-state.ts";
import { autoResolveAlert, raiseAlert } from "./raise-alert.ts";
import { breaches, inScope, siteInScope } from "./rule-logic.ts";

const MINUTE = 60_000;

type ThresholdRule = LiveRule & { condition: Extract<LiveRule["condition"], { type: "metric_threshold" }> };

/** One alarm of the live detector on a device's metric (insights/live-anomalies.ts). */
export interface LiveAlarm {
  metric: string;
  value: number;
  /** Score in [0, 1] and the z-score behind it (what an anomaly rule's `min_score` is compared with). */
  score: number;
  z: number;
  expected_low: number;
  expected_high: number;
  basis: string;
}

/** What the live detector made of one sample: its alarms, and whether the device has been calm for a while. */
export interface LiveObservation<A extends LiveAlarm = LiveAlarm> {
  alarms: A[];
  /** Every metric scored below the alarm level for the last several samples: its anomaly alerts resolve. */
  calm: boolean;
}

/**
 * Scores each metrics sample as it arrives (insights' live anomaly detectors): declared here, so alerts does not
 * import insights (insights raises alerts, so the dependency runs insights → alerts).
 */
export interface MetricObserver {
  observe(
    ctx: Context,
    deviceId: string,
    at: Date,
    values: Readonly<Record<string, unknown>>,
  ): Promise<LiveObservation>;
  /** The same when the device's state is in memory, without a promise unless something is stored; else undefined. */
  observeNow(
    ctx: Context,
    deviceId: string,
    at: Date,
    values: Readonly<Record<string, unknown>>,
  ): LiveObservation | Promise<LiveObservation> | undefined;
}

/**
 * The alert evaluator. Write paths emit signals (ctx.signals); each is matched against the enabled rules of its
 * kind in memory (rules, devices' scope facts and statuses, open alerts and "breached since" times are held here),
 * so a sample costs a few map look-ups and the database is touched only when an alert opens or resolves.
 * Time-based conditions (offline or silent for N minutes, errors in a window) are checked by `sweep()` over the
 * in-memory last-seen times, never by scanning tables per rule. A tenant's rule applies to a device only when the
 * device's site (held in memory with its tenant) is that tenant's: one more map look-up.
 */
export class AlertEngine implements SignalSink {
  private queue: Signal[] = [];
  private working: Promise<void> | undefined;
  private loaded: Promise<void> | undefined;
  private closed = false;
  private rules = new Map<RuleType, LiveRule[]>();
  private devices = new Map<string, LiveDevice>();
  private sites = new Map<string, LiveSite>();
  private active = new Set<string>();
  private breachSince = new Map<string, number>();
  private errorTimes = new Map<number, number[]>();
  private refreshedAt = 0;
  private unknown = new Set<string>();
  /** Signals dropped because the queue was full (the evaluator fell behind). */
  dropped = 0;

  constructor(
    private readonly ctx: Context,
    private readonly maxQueue = 200_000,
    /** The streaming anomaly detector fed with every metrics signal (the server's live detector). */
    private readonly live?: MetricObserver,
  ) {}

  emit(signal: Signal): void {
    if (this.closed) return;
    if (this.queue.length >= this.maxQueue) {
      this.dropped += 1;
      return;
    }
    this.queue.push(signal);
    this.kick();
  }

  /** Loads rules (adding the built-in ones), devices, sites and open alerts; once. */
  start(): Promise<void> {
    this.loaded ??= (async () => {
      await ensureDefaultAlertRules(this.ctx);
      await this.reloadRules();
      await this.refreshDevices(true);
      for (const a of await listActiveFingerprints(this.ctx.db)) this.active.add(a.fingerprint);
    })();
    return this.loaded;
  }

  /** Resolves once every signal emitted so far has been evaluated. */
  async idle(): Promise<void> {
    while (this.working) await this.working;
  }

  async close(): Promise<void> {
    await this.idle();
    this.closed = true;
  }

  private kick(): void {
    if (this.working) return;
    this.working = (async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.start();
      while (this.queue.length > 0) {
        for (const signal of this.queue.splice(0)) {
          try {
            // Telemetry (nearly every signal) is evaluated without a promise unless an alert opens or resolves.
            const pending = this.handle(signal);
            if (pending) await pending;
          } catch (error) {
            this.ctx.logger.error({ err: error, signal: signal.kind }, "alert evaluation failed");
          }
        }
      }
    })().finally(() => {
      this.working = undefined;
    });
  }

  private of(type: RuleType): LiveRule[] {
    return this.rules.get(type) ?? [];
  }

  /** The metric threshold rules (the rules are held by their condition's type, so each has a threshold condition). */
  private thresholds(): ThresholdRule[] {
    return this.of("metric_threshold") as ThresholdRule[];
  }

  /** The value a threshold rule reads in a sample of `d`; undefined when the sample lacks it or the rule skips `d`. */
  private reading(r: ThresholdRule, d: LiveDevice, values: Readonly<Record<string, unknown>>): number | undefined {
    const v = values[r.condition.metric];
    return typeof v === "number" && this.applies(r, d) ? v : undefined;
  }

  private async reloadRules(): Promise<void> {
    const rules = await loadLiveRules(this.ctx.db);
    this.rules = new Map();
    for (const r of rules) this.rules.set(r.condition.type, [...this.of(r.condition.type), r]);
  }

  /** All devices at start, then those changed since the last refresh (site moves, tags, deletions). */
  private async refreshDevices(all = false): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const since = all ? undefined : new Date(this.refreshedAt - MINUTE);
    for (const d of await loadLiveDevices(this.ctx.db, since ? { since } : {})) {
      const known = this.devices.get(d.deviceId);
      if (d.status === "deleted") this.devices.delete(d.deviceId);
      else this.devices.set(d.deviceId, known ? { ...d, lastSeen: known.lastSeen ?? d.lastSeen } : d);
    }
    this.sites = await loadLiveSites(this.ctx.db);
    this.unknown.clear();
    this.refreshedAt = now;
  }

  private async device(deviceId: string): Promise<LiveDevice | undefined> {
    const known = this.devices.get(deviceId);
    if (known || this.unknown.has(deviceId)) return known;
    const [d] = await loadLiveDevices(this.ctx.db, { deviceId });
    // A site created since the last refresh: its tenant is needed before a tenant's rule can apply.
    if (d?.siteId && !this.sites.has(d.siteId)) this.sites = await loadLiveSites(this.ctx.db);
    if (d && d.status !== "deleted") this.devices.set(deviceId, d);
    // Not looked up again until the next refresh (a stream of signals for a deleted device costs one query).
    else this.unknown.add(deviceId);
    return this.devices.get(deviceId);
  }

  /** Whether a rule may watch a site: a platform-wide one any; a tenant's its own (no known site: the default tenant's). */
  private watches(r: LiveRule, siteId: string | null): boolean {
    if (r.tenantId === null) return true;
    return r.tenantId === ((siteId ? this.sites.get(siteId)?.tenantId : undefined) ?? DEFAULT_TENANT_ID);
  }

  /** Whether a rule covers a device: its tenant and its scope. */
  private applies(r: LiveRule, d: LiveDevice): boolean {
    return this.watches(r, d.siteId) && inScope(r.scope, d);
  }

  /** Whether a rule covers an event without a device (a job at a site, an error of no device). */
  private appliesAt(r: LiveRule, siteId: string | null): boolean {
    return this.watches(r, siteId) && siteInScope(r.scope, siteId);
  }

  /** The device's facts when held (null: known not to exist until the next refresh); undefined: look it up. */
  private known(deviceId: string): LiveDevice | null | undefined {
    const d = this.devices.get(deviceId);
    if (d) return d;
    return this.unknown.has(deviceId) ? null : undefined;
  }

  /**
   * The usual case of the two telemetry signals decided synchronously: a known device whose sample opens or resolves
   * nothing. Anything else (a look-up, a state to load, an alert to open or resolve) goes to `evaluate`, which does
   * the whole evaluation again (what the fast path changed before handing over is idempotent).
   */
  private handle(s: Signal): Promise<void> | undefined {
    if (s.kind === "seen") {
      const d = this.known(s.deviceId);
      if (d === undefined) return this.evaluate(s);
      if (d === null) return undefined;
      d.lastSeen = Math.max(d.lastSeen ?? 0, s.at.getTime());
      if (d.status === "offline") return this.evaluate(s);
      for (const r of this.of("collection_gap")) if (this.active.has(`r${r.id}:${d.deviceId}`)) return this.evaluate(s);
      return undefined;
    }
    if (s.kind === "metrics") {
      if (!this.live) return this.metricsNow(s.deviceId, s.at.getTime(), s.values);
      const d = this.known(s.deviceId);
      if (d === undefined) return this.evaluate(s);
      if (d === null) return this.metricsNow(s.deviceId, s.at.getTime(), s.values);
      const seen = this.live.observeNow(this.ctx, d.deviceId, s.at, s.values);
      if (seen === undefined) return this.evaluate(s);
      if (seen instanceof Promise || !this.liveQuiet(d, seen))
        return (async () => {
          await this.onLiveAnomalies(d, await seen);
          await this.onMetrics(s.deviceId, s.at.getTime(), s.values);
        })();
      return this.metricsNow(s.deviceId, s.at.getTime(), s.values);
    }
    return this.evaluate(s);
  }

  /** True when the live detector's observation raises and resolves nothing (no alarm; no open anomaly alert to close). */
  private liveQuiet(d: LiveDevice, seen: LiveObservation): boolean {
    if (seen.alarms.length > 0) return false;
    if (!seen.calm) return true;
    for (const r of this.of("anomaly"))
      if (r.condition.type === "anomaly" && this.applies(r, d) && this.active.has(`r${r.id}:${d.deviceId}`))
        return false;
    return true;
  }

  /**
   * Threshold rules on a sample without a promise when none opens or resolves an alert (breach times are kept here);
   * else `onMetrics`.
   */
  private metricsNow(
    deviceId: string,
    at: number,
    values: Readonly<Record<string, unknown>>,
  ): Promise<void> | undefined {
    const rules = this.thresholds();
    if (rules.length === 0) return undefined;
    const d = this.known(deviceId);
    if (d === undefined) return this.onMetrics(deviceId, at, values);
    if (d === null) return undefined;
    for (const r of rules) {
      const v = this.reading(r, d, values);
      if (v === undefined) continue;
      const fp = `r${r.id}:${d.deviceId}`;
      if (!breaches(r.condition, v)) {
        if (this.active.has(fp)) return this.onMetrics(deviceId, at, values);
        this.breachSince.delete(fp);
        continue;
      }
      const since = this.breachSince.get(fp) ?? at;
      if (at - since >= r.condition.minutes * MINUTE && !this.active.has(fp))
        return this.onMetrics(deviceId, at, values);
      this.breachSince.set(fp, since);
    }
    return undefined;
  }

  private async evaluate(s: Signal): Promise<void> {
    switch (s.kind) {
      case "reload":
        if (s.what === "rules") await this.reloadRules();
        else await this.refreshDevices();
        return;
      case "alert_closed":
        this.active.delete(s.fingerprint);
        this.breachSince.delete(s.fingerprint);
        return;
      case "status":
        return this.onStatus(s.deviceId, s.status, s.at.getTime(), s.reason);
      case "seen": {
        const d = await this.device(s.deviceId);
        if (!d) return;
        d.lastSeen = Math.max(d.lastSeen ?? 0, s.at.getTime());
        if (d.status === "offline") await this.onStatus(d.deviceId, "online", s.at.getTime());
        for (const r of this.of("collection_gap")) await this.resolve(`r${r.id}:${d.deviceId}`, "data arrived again");
        return;
      }
      case "metrics": {
        const d = this.live ? await this.device(s.deviceId) : undefined;
        if (this.live && d)
          await this.onLiveAnomalies(d, await this.live.observe(this.ctx, d.deviceId, s.at, s.values));
        return this.onMetrics(s.deviceId, s.at.getTime(), s.values);
      }
      case "job":
        return this.onJob(s);
      case "command_expired": {
        const d = await this.device(s.deviceId);
        if (!d) return;
        // One alert per rule, device and command type: expiring again counts as another occurrence.
        for (const r of this.of("command_expired"))
          if (this.applies(r, d))
            await this.raise(
              r,
              d,
              commandFingerprint(r.id, d.deviceId, s.commandType),
              {
                command_id: s.commandId,
                command_type: s.commandType,
              },
              undefined,
              { recount: true },
            );
        return;
      }
      case "command_succeeded":
        for (const r of this.of("command_expired"))
          await this.resolveStored(
            [commandFingerprint(r.id, s.deviceId, s.commandType)],
            `a later ${s.commandType} succeeded on ${s.deviceId}`,
          );
        return;
      case "error_log":
        return this.onError(s.category, s.deviceId, s.at.getTime());
    }
  }

  private async onStatus(deviceId: string, status: string, at: number, reason?: string): Promise<void> {
    const d = await this.device(deviceId);
    if (!d) return;
    if (d.status !== status) d.statusSince = at;
    d.status = status;
    for (const r of this.of("device_error")) {
      const fp = `r${r.id}:${d.deviceId}`;
      if (status !== "error") await this.resolve(fp, `device is ${status}`);
      else if (r.condition.type === "device_error" && r.condition.minutes === 0 && this.applies(r, d))
        await this.raise(r, d, fp, { reason: reason ?? "error", status });
    }
    if (status !== "offline")
      for (const r of this.of("device_offline")) await this.resolve(`r${r.id}:${d.deviceId}`, `device is ${status}`);
  }

  private async onMetrics(deviceId: string, at: number, values: Readonly<Record<string, unknown>>) {
    const rules = this.thresholds();
    if (rules.length === 0) return;
    const d = await this.device(deviceId);
    if (!d) return;
    for (const r of rules) {
      const v = this.reading(r, d, values);
      if (v === undefined) continue;
      const fp = `r${r.id}:${d.deviceId}`;
      const c = r.condition;
      if (!breaches(c, v)) {
        this.breachSince.delete(fp);
        await this.resolve(fp, `${c.metric} back to ${v}`);
        continue;
      }
      const since = this.breachSince.get(fp) ?? at;
      this.breachSince.set(fp, since);
      if (at - since >= c.minutes * MINUTE)
        await this.raise(r, d, fp, { value: v, threshold: c.value, minutes: c.minutes, metric: c.metric }, v);
    }
  }

  /**
   * The anomaly rules, as data arrives: the live detector's alarms on a device raise one alert per rule and device
   * (a further alarm counts as an occurrence), which resolves once every metric of the device is calm again.
   */
  private async onLiveAnomalies(d: LiveDevice, seen: LiveObservation): Promise<void> {
    for (const r of this.of("anomaly")) {
      const c = r.condition;
      if (c.type !== "anomaly" || !this.applies(r, d)) continue;
      const fp = `r${r.id}:${d.deviceId}`;
      const top = seen.alarms.filter((a) => a.z >= c.min_score).sort((a, b) => b.score - a.score)[0];
      if (top) {
        const title = `${d.deviceId}: ${top.metric} ${top.value}, expected ${top.expected_low} to ${top.expected_high}`;
        const vars = { title, metric: top.metric, value: top.z, score: top.score, basis: top.basis };
        await this.raise(r, d, fp, { ...vars, alarms: seen.alarms }, top.z, { recount: true });
      } else if (seen.calm) await this.resolve(fp, "every metric is back within its expected range");
    }
  }

  private async onJob(s: Extract<Signal, { kind: "job" }>): Promise<void> {
    const d = s.deviceId ? await this.device(s.deviceId) : undefined;
    const site = s.siteId ?? d?.siteId ?? null;
    const type = s.jobType ?? "job";
    if (s.status === "completed") {
      // A later job of the same type at the same site succeeded: its failures (and that site's rollbacks) cleared.
      for (const r of this.of("job_failed")) {
        const fp = jobFingerprint(r.id, type, site);
        const rollbacks = await listActiveFingerprintsLike(this.ctx.db, `${fp}:`);
        await this.resolveStored([fp, ...rollbacks], `job ${s.jobId} (${type}) completed`);
      }
      return;
    }
    for (const r of this.of("job_failed")) {
      const c = r.condition;
      if (c.type !== "job_failed") continue;
      const wanted =
        s.status === "failed" ||
        (s.status === "partial" && c.include_partial) ||
        (s.status === "rolled_back" && c.include_rollbacks);
      if (!wanted || !(d ? this.applies(r, d) : this.appliesAt(r, s.siteId ?? null))) continue;
      // One alert per rule, job type and site (and device for a rollback) until a job of that type completes there.
      const fp = jobFingerprint(r.id, type, site);
      await this.raise(
        r,
        d ?? null,
        d ? `${fp}:${d.deviceId}` : fp,
        {
          job_id: s.jobId || "(none)",
          job_type: type,
          status: s.status === "rolled_back" ? `rolled back on ${s.deviceId}` : s.status,
          reason: s.message ? `: ${s.message}` : "",
          site_id: site ?? undefined,
        },
        undefined,
        { recount: true },
      );
    }
  }

  private async onError(category: string, deviceId: string | null, at: number): Promise<void> {
    const d = deviceId ? await this.device(deviceId) : undefined;
    for (const r of this.of("error_rate")) {
      const c = r.condition;
      if (c.type !== "error_rate" || c.category !== category) continue;
      if (!(d ? this.applies(r, d) : this.appliesAt(r, null))) continue;
      const times = this.prune(r.id, c.window_minutes, at);
      times.push(at);
      if (times.length >= c.count)
        await this.raise(r, null, `r${r.id}:errors`, {
          count: times.length,
          category,
          window_minutes: c.window_minutes,
          device_suffix: d ? ` (last from ${d.deviceId})` : "",
        });
    }
  }

  private prune(ruleId: number, windowMinutes: number, now: number): number[] {
    const times = (this.errorTimes.get(ruleId) ?? []).filter((t) => t > now - windowMinutes * MINUTE);
    this.errorTimes.set(ruleId, times);
    return times;
  }

  /** The time-based conditions, over the in-memory device states; the server runs it every 30 s. */
  async sweep(): Promise<void> {
    await this.start();
    await this.idle();
    const now = this.ctx.clock.now().getTime();
    if (now - this.refreshedAt >= MINUTE) await this.refreshDevices();
    const offline = this.of("device_offline");
    const errors = this.of("device_error");
    const gaps = this.of("collection_gap");
    for (const d of this.devices.values()) {
      const site = this.sites.get(d.siteId);
      for (const r of offline) {
        const c = r.condition;
        if (c.type !== "device_offline" || d.status !== "offline" || !this.applies(r, d)) continue;
        if (now - d.statusSince < c.minutes * MINUTE) continue;
        if (c.only_during_opening_hours && !siteOpen(site, now)) continue;
        await this.raise(r, d, `r${r.id}:${d.deviceId}`, { minutes: Math.floor((now - d.statusSince) / MINUTE) });
      }
      for (const r of errors) {
        const c = r.condition;
        if (c.type !== "device_error" || c.minutes === 0 || d.status !== "error" || !this.applies(r, d)) continue;
        if (now - d.statusSince >= c.minutes * MINUTE)
          await this.raise(r, d, `r${r.id}:${d.deviceId}`, { reason: "error", minutes: c.minutes });
      }
      for (const r of gaps) {
        const c = r.condition;
        if (c.type !== "collection_gap" || d.lastSeen === null || !this.applies(r, d)) continue;
        if (now - d.lastSeen >= c.minutes * MINUTE)
          await this.raise(r, d, `r${r.id}:${d.deviceId}`, { minutes: Math.floor((now - d.lastSeen) / MINUTE) });
      }
    }
    for (const r of this.of("error_rate")) {
      const c = r.condition;
      if (c.type !== "error_rate") continue;
      const n = this.prune(r.id, c.window_minutes, now).length;
      if (n < c.count)
        await this.resolve(`r${r.id}:errors`, `${n} ${c.category} errors in the last ${c.window_minutes} min`);
    }
  }

  private async raise(
    rule: LiveRule,
    d: LiveDevice | null,
    fingerprint: string,
    vars: Record<string, unknown>,
    score?: number,
    /** For discrete events (a job failed, a command expired): each one counts as an occurrence of the open alert. */
    opts: { recount?: boolean } = {},
  ): Promise<void> {
    if (this.active.has(fingerprint) && !opts.recount) return;
    const now = this.ctx.clock.now().getTime();
    if (d) {
      // A device in maintenance or not active (suspended…) and a site in its maintenance window are muted.
      if (d.status === "maintenance" || d.lifecycle !== "active" || inMaintenanceWindow(this.sites.get(d.siteId), now))
        return;
    }
    const all = { rule: rule.name, severity: rule.severity, device_id: d?.deviceId, site_id: d?.siteId, ...vars };
    const message = renderTemplate(rule.template ?? defaultTemplate(rule.condition), all);
    this.active.add(fingerprint);
    await raiseAlert(this.ctx, {
      fingerprint,
      source: "rule",
      kind: rule.condition.type,
      severity: rule.severity,
      ruleId: rule.id,
      deviceId: d?.deviceId ?? null,
      siteId: d?.siteId ?? (typeof vars.site_id === "string" ? vars.site_id : null),
      title: `${rule.name}${d ? `: ${d.deviceId}` : ""}`,
      message,
      details: vars,
      score: score ?? null,
    });
  }

  private async resolve(fingerprint: string, why: string): Promise<void> {
    if (!this.active.delete(fingerprint)) return;
    await autoResolveAlert(this.ctx, fingerprint, `Condition cleared: ${why}`);
  }

  /**
   * Resolves by what the database holds, not this instance's cache: for events that clear a condition another
   * instance may have raised (a job or command success lands on whichever instance took it). Rare, so a look-up each.
   */
  private async resolveStored(fingerprints: readonly string[], why: string): Promise<void> {
    for (const fp of fingerprints) {
      this.active.delete(fp);
      await autoResolveAlert(this.ctx, fp, `Condition cleared: ${why}`);
    }
  }
}

function commandFingerprint(ruleId: number, deviceId: string, commandType: string): string {
  return `r${ruleId}:cmd:${deviceId}:${commandType}`;
}

function jobFingerprint(ruleId: number, jobType: string, siteId: string | null): string {
  return `r${ruleId}:job:${jobType}:${siteId ?? "-"}`;
}
