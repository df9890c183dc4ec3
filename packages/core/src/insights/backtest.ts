import { type Database, deviceMetrics, devices, migrateDatabase, openDatabase, sites } from "@homepot/db";
import { inArray } from "drizzle-orm";
import { queueCommand } from "../commands/queue-command.ts";
import { recordMissedConfigChanges } from "../config-history/record-missed-config-changes.ts";
import { type Context, silentLogger } from "../context.ts";
import { detectCollectionGaps } from "../devices/detect-collection-gaps.ts";
import { type DeviceReport, type InjectedFaultKind, injectedFaultKinds } from "../simulator/device-model.ts";
import { Fleet, type FleetTransport } from "../simulator/fleet.ts";
import { InProcessTransport } from "../simulator/in-process-transport.ts";
import { Rng } from "../simulator/random.ts";
import { ManualClock } from "../simulator/scheduler.ts";
import { MetricsWriter } from "../telemetry/metrics-writer.ts";
import {
  type BenignOutcome,
  type NearestEvent,
  nearestEvent,
  planBenignEvents,
  scoreBenignEvents,
  startBenignEvents,
} from "./backtest-benign.ts";
import { loadDeviceSeries } from "./device-series.repository.ts";
import type { DeviceRef } from "./insights.repository.ts";
import {
  detectFlapping,
  detectIntermittentGaps,
  detectMetricOutliers,
  detectSilence,
  peerAdjust,
} from "./models/anomaly-rules.ts";
import { computeFailureRisk } from "./models/failure-risk.ts";
import { HOUR_MS, MINUTE_MS } from "./models/series.ts";
import { median, round } from "./models/stats.ts";

/**
 * The insights backtest: the fleet simulator runs on a fresh database with a fast-forwarded clock, faults
 * with known ground truth are injected at known times, and at every evaluation step the failure-risk model
 * and the anomaly detectors look at what the database holds — exactly the data the API would read. Their
 * alarms are then scored against the ground truth: precision, recall and lead time before the failure.
 */

export interface BacktestOptions {
  devices?: number;
  /** Simulated hours in total, warm-up included. */
  hours?: number;
  seed?: number;
  /** Hours of normal operation before the first fault (the detectors' baseline). */
  warmupHours?: number;
  /** Simulated minutes between evaluations. */
  stepMinutes?: number;
  /** Seconds between a device's reports. */
  reportIntervalS?: number;
  /** Failure-risk horizon and the (elevated) probability that raises an alarm. */
  horizonHours?: number;
  riskThreshold?: number;
  /**
   * An alarm fires when its condition held at this many consecutive evaluations: failure risk (already a
   * trend over 30–120 min) and metric outliers (a 15-minute median). Silence and flapping are durations
   * and counts already and fire at once.
   */
  riskPersistSteps?: number;
  outlierPersistSteps?: number;
  /**
   * One incident, one alarm: after an alarm a device's condition must have been quiet this long before the same
   * method alarms on it again (a condition that flickers on and off is still the alarm the operator has open).
   */
  rearmMinutes?: number;
  /** Share of devices that get a fault. */
  faultShare?: number;
  kinds?: readonly InjectedFaultKind[];
  /** An alarm up to this long after the failure still counts as detecting it (with a negative lead). */
  graceMinutes?: number;
  /** Silence after which the emulated gap detector marks a device offline. */
  offlineAfterS?: number;
  /** Benign events that must not alarm (a rush, a site closing early, planned reboots, config updates); default true. */
  benign?: boolean;
  /** Default: a fresh in-memory PGlite. */
  database?: Database;
  onProgress?: (done: number, total: number) => void;
}

export type BacktestMethod = "failure_risk" | "anomalies" | "combined";

export interface MethodScore {
  /** Strict: every alarm outside an injected fault's window counts as false. */
  precision: number | null;
  /** Alarms raised while the device was really failing in the background (most reports unhealthy) not counted as false. */
  precision_excluding_incidents: number | null;
  recall: number | null;
  median_lead_minutes: number | null;
  /**
   * Median lead over gradual faults only: those whose ground truth shows a first symptom at least 5 minutes
   * before the failure (memory leak, disk filling). A sudden fault (lost network, a bad config applied,
   * a gateway failing within minutes) cannot be foreseen, only detected: its lead is a delay (negative).
   */
  median_lead_minutes_gradual: number | null;
  detected: number;
  missed: number;
  false_alarms: number;
  /** False alarms raised while most of the device's reports of the 20 minutes before were unhealthy. */
  false_alarms_during_incidents: number;
}

export interface FaultOutcome {
  device_id: string;
  kind: InjectedFaultKind;
  gradual: boolean;
  injected_at: string;
  failed_at: string | null;
  first_alarm: Record<BacktestMethod, string | null>;
  lead_minutes: Record<BacktestMethod, number | null>;
}

export interface FalseAlarm {
  device_id: string;
  method: BacktestMethod;
  at: string;
  reason: string;
  /** The alarm's own figure: failure risk's elevated probability, or the largest anomaly score. */
  score: number;
  /** Most of the device's reports of the 20 minutes before were unhealthy (a background incident). */
  during_incident: boolean;
  /** The benign event or injected fault closest in time that touched the device (its own, or its site's). */
  nearest_event: NearestEvent | null;
}

export interface BacktestResult {
  config: Required<Omit<BacktestOptions, "database" | "onProgress">> & { start: string; end: string };
  faults: FaultOutcome[];
  scores: Record<BacktestMethod, MethodScore>;
  by_kind: Record<string, { faults: number; failed: number; detected: number; median_lead_minutes: number | null }>;
  /** The benign events and the false alarms each drew. */
  benign: BenignOutcome[];
  /** Every false alarm (per method), with what was happening around it, to see why it fired. */
  false_alarm_details: FalseAlarm[];
  /** The goals, judged on the combined alarms; the lead on gradual faults (see MethodScore). */
  goals: {
    precision: number;
    recall: number;
    median_lead_minutes: number;
    met: boolean;
    met_strict_precision: boolean;
    met_all_faults_lead: boolean;
  };
  data: { reports: number; metrics_rows: number; evaluations: number };
}

const DEFAULTS = {
  devices: 12,
  hours: 8,
  seed: 42,
  warmupHours: 2,
  stepMinutes: 5,
  reportIntervalS: 60,
  horizonHours: 1,
  riskThreshold: 0.6,
  riskPersistSteps: 2,
  outlierPersistSteps: 4,
  rearmMinutes: 30,
  faultShare: 0.5,
  kinds: injectedFaultKinds,
  graceMinutes: 30,
  offlineAfterS: 300,
  benign: true,
};

/** Hours a fault needs after injection to reach its failure (so it is injected early enough to fail within the run). */
const ROOM_HOURS: Record<InjectedFaultKind, number> = {
  memory_leak: 1.25,
  disk_filling: 2.5,
  failing_gateway: 0.75,
  bad_config: 0.5,
  network_loss: 0.5,
  cpu_runaway: 1.25,
  network_flapping: 0.5,
  slow_gateway: 1.25,
};

export async function runBacktest(options: BacktestOptions = {}): Promise<BacktestResult> {
  const cfg = { ...DEFAULTS, ...options, kinds: options.kinds ?? DEFAULTS.kinds };
  const ownDb = !options.database;
  const database = options.database ?? (await openDatabase({ dataDir: "memory://" }));
  if (ownDb) await migrateDatabase(database);
  try {
    return await run(database, cfg, options.onProgress);
  } finally {
    if (ownDb) await database.close();
  }
}

type Cfg = typeof DEFAULTS & { kinds: readonly InjectedFaultKind[] };

async function run(
  database: Database,
  cfg: Cfg,
  onProgress?: (done: number, total: number) => void,
): Promise<BacktestResult> {
  const db = database.db;
  const rng = new Rng(cfg.seed);
  // Monday 10:00 UTC: the default sites are open 09–21 with a peak 12–14, so the run crosses it.
  const start = Date.UTC(2026, 0, 5, 10, 0, 0);
  const end = start + cfg.hours * HOUR_MS;
  const clock = new ManualClock(start);
  const tag = `bt${cfg.seed}`;

  const siteCount = Math.max(1, Math.ceil(cfg.devices / 4));
  const siteIds = Array.from({ length: siteCount }, (_, i) => `${tag}-site-${String(i + 1).padStart(2, "0")}`);
  await db
    .insert(sites)
    .values(siteIds.map((siteId) => ({ siteId, name: `Backtest ${siteId}`, timezone: "UTC" })))
    .onConflictDoNothing();
  const specs = Array.from({ length: cfg.devices }, (_, i) => ({
    deviceId: `${tag}-pos-${String(i + 1).padStart(3, "0")}`,
    siteId: siteIds[i % siteCount] as string,
    siteDeviceCount: Math.ceil(cfg.devices / siteCount),
  }));
  const inserted = await db
    .insert(devices)
    .values(
      specs.map((s) => ({
        deviceId: s.deviceId,
        name: s.deviceId,
        deviceType: "pos_terminal",
        siteId: s.siteId,
        status: "online",
        isSimulated: true,
        lastSeen: new Date(start),
      })),
    )
    .returning({ id: devices.id, deviceId: devices.deviceId, siteId: devices.siteId });
  const ctx: Context = { db, actor: { kind: "system", name: "backtest" }, clock, logger: silentLogger };
  const healthLog = new Map<string, { at: number; healthy: boolean }[]>(inserted.map((d) => [d.deviceId, []]));
  let reportsWritten = 0;

  // The simulated devices act through the same use cases as real ones (health flow, commands); the
  // wrapper only keeps the ground truth of each report's health for scoring.
  const writer = new MetricsWriter(db, silentLogger, { maxInFlight: 1 });
  const inner = new InProcessTransport(ctx, writer, { concurrency: 1 });
  const transport: FleetTransport = {
    pollOnReport: inner.pollOnReport,
    async sendReports(reports: DeviceReport[]) {
      const failed = await inner.sendReports(reports);
      for (const r of reports)
        healthLog.get(r.deviceId)?.push({ at: r.at.getTime(), healthy: r.health.status === "healthy" });
      reportsWritten += reports.length;
      return failed;
    },
    claimCommands: (deviceId) => inner.claimCommands(deviceId),
    reportResult: (deviceId, commandId, result) => inner.reportResult(deviceId, commandId, result),
  };

  const fleet = new Fleet({ devices: specs, transport, clock, seed: cfg.seed, intervalMs: cfg.reportIntervalS * 1000 });

  // Which devices get which fault, when.
  const order = shuffle([...specs], rng);
  const faultCount = Math.max(1, Math.round(cfg.devices * cfg.faultShare));
  const kinds = shuffle([...cfg.kinds], rng);
  const stepMs = cfg.stepMinutes * MINUTE_MS;
  const warmupEnd = start + cfg.warmupHours * HOUR_MS;
  const plan = order.slice(0, faultCount).map((spec, i) => {
    const kind = kinds[i % kinds.length] as InjectedFaultKind;
    const latest = Math.max(warmupEnd, end - ROOM_HOURS[kind] * HOUR_MS);
    const at = warmupEnd + Math.floor((rng.next() * (latest - warmupEnd)) / stepMs) * stepMs;
    return { deviceId: spec.deviceId, kind, at };
  });

  // Benign events from their own stream, so they do not move the fault plan.
  const faulty = new Set(plan.map((p) => p.deviceId));
  const benignPlan = cfg.benign
    ? planBenignEvents(new Rng(`${cfg.seed}:benign`), {
        siteIds,
        calmDeviceIds: specs.filter((s) => !faulty.has(s.deviceId)).map((s) => s.deviceId),
        from: warmupEnd,
        end,
        stepMs,
      })
    : [];

  const methods: BacktestMethod[] = ["failure_risk", "anomalies", "combined"];
  const streak = new Map<string, number>();
  /** Last evaluation at which each device's method was alarming. */
  const lastOn = new Map<string, number>();
  const alarms: { deviceId: string; method: BacktestMethod; at: number; reason: string; score: number }[] = [];
  const refs: DeviceRef[] = inserted.map((d) => ({
    id: d.id,
    deviceId: d.deviceId,
    siteId: d.siteId,
    status: "online",
    lastSeen: null,
    // The simulated fleet exists from the simulation's start (the rows' created_at is the wall clock).
    createdAt: new Date(start),
  }));
  const totalSteps = Math.ceil((end - start) / stepMs);
  let evaluations = 0;

  for (let step = 1; step <= totalSteps; step++) {
    const stepStart = clock.now().getTime();
    for (const f of plan) {
      if (f.at === stepStart) {
        fleet.injectFault(f.deviceId, f.kind, f.kind === "disk_filling" ? { ratePerHour: 30 } : {});
        // A bad config only hurts once a device applies it: the update a job would send.
        if (f.kind === "bad_config") {
          await queueCommand(ctx, {
            deviceId: f.deviceId,
            commandType: "UPDATE_CONFIG",
            payload: { config_version: "9.9.9", config_url: "https://config.example/bad.json" },
          });
          fleet.notifyCommand(f.deviceId);
        }
      }
    }
    await startBenignEvents(ctx, fleet, benignPlan, stepStart);
    await fleet.advance(Math.min(stepMs, end - stepStart));
    const now = clock.now();
    // The server's background tasks: the gap detector, and config changes recorded in configuration_history.
    await detectCollectionGaps(ctx, cfg.offlineAfterS);
    await recordMissedConfigChanges(ctx, { settleMs: 5 * MINUTE_MS, lookbackMs: HOUR_MS });
    onProgress?.(step, totalSteps);
    if (now.getTime() < warmupEnd) continue;

    const truth = new Map(fleet.groundTruth().map((f) => [f.deviceId, f]));
    // A device stops being watched once its failure is past the grace period (it is known to be broken).
    const watched = refs.filter((r) => {
      const f = truth.get(r.deviceId);
      return !f?.failedAt || now.getTime() <= f.failedAt.getTime() + cfg.graceMinutes * MINUTE_MS;
    });
    const statuses = new Map(
      (
        await db
          .select({ deviceId: devices.deviceId, status: devices.status })
          .from(devices)
          .where(
            inArray(
              devices.deviceId,
              watched.map((r) => r.deviceId),
            ),
          )
      ).map((d) => [d.deviceId, d.status]),
    );
    for (const r of watched) r.status = statuses.get(r.deviceId) ?? "online";
    const series = await loadDeviceSeries(db, watched, new Date(start), now, {
      metricsFrom: new Date(now.getTime() - 26 * HOUR_MS),
    });
    evaluations += watched.length;
    // Peers are all the site's devices, watched or not, as the API compares them.
    const peers = peerAdjust([
      ...(
        await loadDeviceSeries(
          db,
          refs.filter((r) => !watched.includes(r)),
          new Date(now.getTime() - 26 * HOUR_MS),
          now,
          {},
        )
      ).values(),
      ...series.values(),
    ]);
    for (const ref of watched) {
      const s = series.get(ref.deviceId);
      if (!s) continue;
      const risk = computeFailureRisk(s, { horizonHours: cfg.horizonHours, peers: peers.get(ref.deviceId) });
      const top = risk.factors.find((f) => !f.current_state);
      const outliers = detectMetricOutliers(peers.get(ref.deviceId) ?? s);
      const immediate = [...detectFlapping(s), ...detectSilence(s), ...detectIntermittentGaps(s)];
      const anomalies = [...outliers, ...immediate];
      const sustained = (key: string, on: boolean, steps: number) => {
        const n = on ? (streak.get(key) ?? 0) + 1 : 0;
        streak.set(key, n);
        return n >= steps;
      };
      const riskOn = sustained(
        `${ref.deviceId}:risk`,
        risk.elevated_probability >= cfg.riskThreshold,
        cfg.riskPersistSteps,
      );
      const anomalyOn =
        sustained(`${ref.deviceId}:outliers`, outliers.length > 0, cfg.outlierPersistSteps) || immediate.length > 0;
      const riskReason = `risk ${risk.elevated_probability}: ${top?.detail ?? ""}`;
      const anomalyReason = anomalies.map((a) => a.title).join("; ");
      const reasons: Record<BacktestMethod, string> = {
        failure_risk: riskReason,
        anomalies: anomalyReason,
        combined: riskOn ? riskReason : anomalyReason,
      };
      const anomalyScore = round(Math.max(0, ...anomalies.map((a) => a.score)), 2);
      const alarmScores: Record<BacktestMethod, number> = {
        failure_risk: risk.elevated_probability,
        anomalies: anomalyScore,
        combined: riskOn ? risk.elevated_probability : anomalyScore,
      };
      const on: Record<BacktestMethod, boolean> = {
        failure_risk: riskOn,
        anomalies: anomalyOn,
        combined: riskOn || anomalyOn,
      };
      for (const m of methods) {
        const key = `${ref.deviceId}:${m}`;
        if (!on[m]) continue;
        const previous = lastOn.get(key);
        lastOn.set(key, now.getTime());
        // A new alarm when the condition starts, not while it lasts or returns within the re-arm time.
        if (previous === undefined || now.getTime() - previous > stepMs + cfg.rearmMinutes * MINUTE_MS)
          alarms.push({
            deviceId: ref.deviceId,
            method: m,
            at: now.getTime(),
            reason: reasons[m],
            score: alarmScores[m],
          });
      }
    }
  }
  await fleet.stop();
  await writer.close();

  // Scoring against the ground truth.
  const truth = fleet.groundTruth();
  const grace = cfg.graceMinutes * MINUTE_MS;
  const faults: FaultOutcome[] = truth.map((f) => {
    const first = {} as Record<BacktestMethod, string | null>;
    const lead = {} as Record<BacktestMethod, number | null>;
    for (const m of methods) {
      const until = f.failedAt ? f.failedAt.getTime() + grace : end;
      // Combined: the earlier of the two methods' alarms (its own episodes only decide its false alarms).
      const a = alarms.find(
        (x) =>
          (m === "combined" ? x.method !== "combined" : x.method === m) &&
          x.deviceId === f.deviceId &&
          x.at >= f.injectedAt.getTime() &&
          x.at <= until,
      );
      first[m] = a ? new Date(a.at).toISOString() : null;
      lead[m] = a && f.failedAt ? round((f.failedAt.getTime() - a.at) / MINUTE_MS, 1) : null;
    }
    const gradual = Boolean(
      f.firstSymptomAt && f.failedAt && f.failedAt.getTime() - f.firstSymptomAt.getTime() >= 5 * MINUTE_MS,
    );
    return {
      device_id: f.deviceId,
      kind: f.kind,
      gradual,
      injected_at: f.injectedAt.toISOString(),
      failed_at: f.failedAt?.toISOString() ?? null,
      first_alarm: first,
      lead_minutes: lead,
    };
  });
  const falseAlarms: FalseAlarm[] = [];
  const siteOf = (id: string) => specs.find((x) => x.deviceId === id)?.siteId;
  const benignEvents = fleet.benignEvents();
  const falseRaw: (typeof alarms)[number][] = [];
  const scores = {} as Record<BacktestMethod, MethodScore>;
  for (const m of methods) {
    const mine = alarms.filter((a) => a.method === m);
    const fp = mine.filter((a) => {
      const f = truth.find((x) => x.deviceId === a.deviceId);
      if (!f) return true;
      const until = f.failedAt ? f.failedAt.getTime() + grace : end;
      return a.at < f.injectedAt.getTime() || a.at > until;
    });
    const duringIncident = (a: (typeof alarms)[number]) => {
      const recent = (healthLog.get(a.deviceId) ?? []).filter((h) => h.at > a.at - 20 * MINUTE_MS && h.at <= a.at);
      return recent.length > 0 && recent.filter((h) => !h.healthy).length / recent.length >= 0.5;
    };
    let incidents = 0;
    falseRaw.push(...fp);
    for (const a of fp) {
      const during = duringIncident(a);
      if (during) incidents += 1;
      falseAlarms.push({
        device_id: a.deviceId,
        method: m,
        at: new Date(a.at).toISOString(),
        reason: a.reason,
        score: a.score,
        during_incident: during,
        nearest_event: nearestEvent(a, benignEvents, truth, siteOf),
      });
    }
    const failed = faults.filter((f) => f.failed_at !== null);
    const detected = failed.filter((f) => f.first_alarm[m] !== null);
    // Alarms on a faulty device that never failed within the run are right, but count for precision only.
    const alsoRight = faults.filter((f) => f.failed_at === null && f.first_alarm[m] !== null).length;
    const tp = detected.length + alsoRight;
    const leads = detected.map((f) => f.lead_minutes[m]).filter((x): x is number => x !== null);
    const gradualLeads = detected
      .filter((f) => f.gradual)
      .map((f) => f.lead_minutes[m])
      .filter((x): x is number => x !== null);
    scores[m] = {
      precision: tp + fp.length > 0 ? round(tp / (tp + fp.length), 3) : null,
      precision_excluding_incidents:
        tp + fp.length - incidents > 0 ? round(tp / (tp + fp.length - incidents), 3) : null,
      recall: failed.length > 0 ? round(detected.length / failed.length, 3) : null,
      median_lead_minutes: leads.length > 0 ? round(median(leads) as number, 1) : null,
      median_lead_minutes_gradual: gradualLeads.length > 0 ? round(median(gradualLeads) as number, 1) : null,
      detected: detected.length,
      missed: failed.length - detected.length,
      false_alarms: fp.length,
      false_alarms_during_incidents: incidents,
    };
  }
  const byKind: BacktestResult["by_kind"] = {};
  for (const f of faults) {
    const k = byKind[f.kind] ?? { faults: 0, failed: 0, detected: 0, median_lead_minutes: null };
    byKind[f.kind] = k;
    k.faults += 1;
    if (f.failed_at) k.failed += 1;
    if (f.failed_at && f.first_alarm.combined) k.detected += 1;
  }
  for (const [kind, k] of Object.entries(byKind)) {
    const leads = faults
      .filter((f) => f.kind === kind && f.lead_minutes.combined !== null)
      .map((f) => f.lead_minutes.combined as number);
    k.median_lead_minutes = leads.length ? round(median(leads) as number, 1) : null;
  }
  const c = scores.combined;
  const metricsRows = await db.$count(
    deviceMetrics,
    inArray(
      deviceMetrics.deviceId,
      specs.map((s) => s.deviceId),
    ),
  );
  return {
    config: {
      devices: cfg.devices,
      hours: cfg.hours,
      seed: cfg.seed,
      warmupHours: cfg.warmupHours,
      stepMinutes: cfg.stepMinutes,
      reportIntervalS: cfg.reportIntervalS,
      horizonHours: cfg.horizonHours,
      riskThreshold: cfg.riskThreshold,
      riskPersistSteps: cfg.riskPersistSteps,
      outlierPersistSteps: cfg.outlierPersistSteps,
      rearmMinutes: cfg.rearmMinutes,
      faultShare: cfg.faultShare,
      kinds: cfg.kinds,
      graceMinutes: cfg.graceMinutes,
      offlineAfterS: cfg.offlineAfterS,
      benign: cfg.benign,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
    },
    faults,
    scores,
    by_kind: byKind,
    benign: scoreBenignEvents(benignEvents, falseRaw, siteOf),
    false_alarm_details: falseAlarms,
    goals: {
      precision: 0.8,
      recall: 0.8,
      median_lead_minutes: 10,
      // Precision counts every alarm that points at a real problem in the simulator's ground truth: an
      // injected fault, or a stretch where most of the device's own reports were unhealthy.
      met:
        (c.precision_excluding_incidents ?? 0) >= 0.8 &&
        (c.recall ?? 0) >= 0.8 &&
        (c.median_lead_minutes_gradual ?? Number.NEGATIVE_INFINITY) >= 10,
      met_strict_precision: (c.precision ?? 0) >= 0.8,
      met_all_faults_lead: (c.median_lead_minutes ?? Number.NEGATIVE_INFINITY) >= 10,
    },
    data: { reports: reportsWritten, metrics_rows: metricsRows, evaluations },
  };
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
