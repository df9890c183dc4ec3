import { LIVE_ANOMALY_METRICS } from "@homepot/contracts/insights";
import { type Db, deviceMetrics, liveAnomalies } from "@homepot/db";
import { and, desc, eq, gte, lt } from "drizzle-orm";
import type { LiveObservation, MetricObserver } from "../alerts/alert-engine.ts";
import type { Context } from "../context.ts";
import {
  defaultStreamingOptions,
  StreamingAnomalyDetector,
  type StreamingAnomalyOptions,
  type StreamingBasis,
} from "./models/streaming-anomaly.ts";

export const LIVE_METRICS = LIVE_ANOMALY_METRICS;
export type LiveMetric = (typeof LIVE_METRICS)[number];

/** One alarm of the streaming detector on a device's metric: what it saw, what it expected, how surprising. */
export interface LiveAnomaly {
  device_id: string;
  metric: LiveMetric;
  at: string;
  value: number;
  /** What the detector expected and the typical range around it (±3 spreads; for a new range, the range seen so far). */
  expected: number;
  expected_low: number;
  expected_high: number;
  /** Anomaly score in [0, 1] (the same scale as on NAB), the z-score behind it and the view that raised it. */
  score: number;
  z: number;
  basis: StreamingBasis;
}

const COLUMN: Record<LiveMetric, keyof typeof deviceMetrics.$inferSelect> = {
  cpu_percent: "cpuPercent",
  memory_percent: "memoryPercent",
  disk_percent: "diskPercent",
  network_latency_ms: "networkLatencyMs",
  error_rate: "errorRate",
  transaction_count: "transactionCount",
};

interface DeviceState {
  detectors: Map<LiveMetric, StreamingAnomalyDetector>;
  lastAt: number;
  /** Samples in a row on which every metric scored below the alarm level. */
  calm: number;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/**
 * The streaming detector (models/streaming-anomaly.ts, the one scored on NAB) run live: each device metric
 * sample is scored as it arrives (the alert engine's queue calls `observe`, off the request), against a detector
 * per device and metric held in memory (constant state each). Alarms are written to live_anomalies as they are
 * raised, so they survive a restart and every instance lists the same ones. A device's detectors are built the
 * first time it reports after a start by replaying its latest rows from device_metrics (deterministic, so the
 * baseline is the one it had; the replay's alarms are not written again). Samples older than the last one seen
 * are ignored (the detector only moves forward in time).
 */
export class LiveAnomalyDetectors implements MetricObserver {
  private readonly devices = new Map<string, DeviceState>();
  private readonly loading = new Map<string, Promise<DeviceState>>();

  constructor(
    private readonly options: {
      detector?: StreamingAnomalyOptions;
      /** Rows replayed when a device's detectors are built (default 2 000: ~16 h at one row every 30 s). */
      warmupRows?: number;
      /** Samples in a row below the alarm level after which a device counts as calm again (default 10). */
      calmSamples?: number;
    } = {},
  ) {}

  /** Scores one sample of a device (any figures missing are skipped), stores the alarms it raised and answers them. */
  async observe(
    ctx: Context,
    deviceId: string,
    at: Date,
    values: Readonly<Record<string, unknown>>,
  ): Promise<LiveObservation<LiveAnomaly>> {
    const state = this.devices.get(deviceId) ?? (await this.load(ctx, deviceId, at));
    return this.score(ctx, state, deviceId, at, values);
  }

  /**
   * `observe` for a device whose detectors are in memory (else undefined, and nothing was scored): without a promise
   * unless alarms must be stored, since every metrics sample comes through here.
   */
  observeNow(
    ctx: Context,
    deviceId: string,
    at: Date,
    values: Readonly<Record<string, unknown>>,
  ): LiveObservation<LiveAnomaly> | Promise<LiveObservation<LiveAnomaly>> | undefined {
    const state = this.devices.get(deviceId);
    return state && this.score(ctx, state, deviceId, at, values);
  }

  private score(
    ctx: Context,
    state: DeviceState,
    deviceId: string,
    at: Date,
    values: Readonly<Record<string, unknown>>,
  ): LiveObservation<LiveAnomaly> | Promise<LiveObservation<LiveAnomaly>> {
    const alarms = this.feed(state, deviceId, at.getTime(), values);
    const seen = { alarms, calm: state.calm >= (this.options.calmSamples ?? 10) };
    if (alarms.length === 0) return seen;
    return ctx.db
      .insert(liveAnomalies)
      .values(alarms.map(toRow))
      .onConflictDoNothing()
      .then(() => seen);
  }

  /** Stored alarms, newest first: one device's, or the whole fleet's. */
  async list(db: Db, options: { deviceId?: string; since?: Date; limit?: number } = {}): Promise<LiveAnomaly[]> {
    const rows = await db
      .select()
      .from(liveAnomalies)
      .where(
        and(
          options.deviceId ? eq(liveAnomalies.deviceId, options.deviceId) : undefined,
          options.since ? gte(liveAnomalies.at, options.since) : undefined,
        ),
      )
      .orderBy(desc(liveAnomalies.at), desc(liveAnomalies.score), liveAnomalies.metric)
      .limit(options.limit ?? 200);
    return rows.map((r) => ({
      device_id: r.deviceId,
      metric: r.metric as LiveMetric,
      at: r.at.toISOString(),
      value: r.value,
      expected: r.expected,
      expected_low: r.expectedLow,
      expected_high: r.expectedHigh,
      score: r.score,
      z: r.z,
      basis: r.basis as StreamingBasis,
    }));
  }

  /** Devices with detectors in memory (for status). */
  get deviceCount(): number {
    return this.devices.size;
  }

  private load(ctx: Context, deviceId: string, before: Date): Promise<DeviceState> {
    let pending = this.loading.get(deviceId);
    if (!pending) {
      pending = (async () => {
        const rows = await ctx.db
          .select()
          .from(deviceMetrics)
          .where(and(eq(deviceMetrics.deviceId, deviceId), lt(deviceMetrics.timestamp, before)))
          .orderBy(desc(deviceMetrics.timestamp))
          .limit(this.options.warmupRows ?? 2000);
        const state: DeviceState = { detectors: new Map(), lastAt: Number.NEGATIVE_INFINITY, calm: 0 };
        for (const row of rows.reverse()) {
          const values: Record<string, unknown> = {};
          for (const m of LIVE_METRICS) values[m] = row[COLUMN[m]];
          this.feed(state, deviceId, row.timestamp.getTime(), values);
        }
        this.devices.set(deviceId, state);
        this.loading.delete(deviceId);
        return state;
      })();
      this.loading.set(deviceId, pending);
    }
    return pending;
  }

  private feed(state: DeviceState, deviceId: string, at: number, values: Readonly<Record<string, unknown>>) {
    if (at <= state.lastAt) return [];
    state.lastAt = at;
    const o = this.options.detector ?? defaultStreamingOptions;
    const raised: LiveAnomaly[] = [];
    let surprising = false;
    for (const metric of LIVE_METRICS) {
      const value = values[metric];
      if (typeof value !== "number" || !Number.isFinite(value)) continue;
      let detector = state.detectors.get(metric);
      if (!detector) {
        detector = new StreamingAnomalyDetector(o);
        state.detectors.set(metric, detector);
      }
      const s = detector.update(value, at);
      if (s.unsuppressed >= o.alarmScore) surprising = true;
      if (!s.alarm) continue;
      const width = s.basis === "new_range" ? s.spread : 3 * s.spread;
      raised.push({
        device_id: deviceId,
        metric,
        at: new Date(at).toISOString(),
        value,
        expected: round(s.expected),
        expected_low: round(s.expected - width),
        expected_high: round(s.expected + width),
        score: round(s.score),
        z: round(s.z),
        basis: s.basis,
      });
    }
    state.calm = surprising ? 0 : state.calm + 1;
    return raised;
  }
}

function toRow(a: LiveAnomaly): typeof liveAnomalies.$inferInsert {
  return {
    deviceId: a.device_id,
    metric: a.metric,
    at: new Date(a.at),
    value: a.value,
    expected: a.expected,
    expectedLow: a.expected_low,
    expectedHigh: a.expected_high,
    score: a.score,
    z: a.z,
    basis: a.basis,
  };
}
