import { LIVE_ANOMALY_METRICS } from "@homepot/contracts/insights";
import { deviceMetrics } from "@homepot/db";
import { and, desc, eq, lt } from "drizzle-orm";
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
  /** Anomaly score in [0, 1] (the same scale as on NAB) and the view that raised it. */
  score: number;
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
  anomalies: LiveAnomaly[];
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/**
 * The streaming detector (models/streaming-anomaly.ts, the one scored on NAB) run live: each device metric
 * sample is scored as it arrives, against a detector per device and metric held in memory (constant state each).
 * A device's detectors are built the first time it reports after a start by replaying its latest rows from
 * device_metrics, so a restart loses neither the learnt baseline nor the recent anomalies (the replay raises
 * them again, since the detector is deterministic). Samples older than the last one seen are ignored (the
 * detector only moves forward in time).
 */
export class LiveAnomalyDetectors {
  private readonly devices = new Map<string, DeviceState>();
  private readonly loading = new Map<string, Promise<DeviceState>>();

  constructor(
    private readonly options: {
      detector?: StreamingAnomalyOptions;
      /** Rows replayed when a device's detectors are built (default 2 000: ~16 h at one row every 30 s). */
      warmupRows?: number;
      /** Anomalies kept per device (default 100). */
      keepPerDevice?: number;
    } = {},
  ) {}

  /** Scores one sample of a device (any figures missing are skipped) and answers the alarms it raised. */
  async observe(ctx: Context, deviceId: string, at: Date, values: Readonly<Record<string, unknown>>) {
    const state = this.devices.get(deviceId) ?? (await this.load(ctx, deviceId, at));
    return this.feed(state, deviceId, at.getTime(), values);
  }

  /** Recent anomalies, newest first: one device's, or the whole fleet's. */
  list(options: { deviceId?: string; since?: Date; limit?: number } = {}): LiveAnomaly[] {
    const states = options.deviceId
      ? [this.devices.get(options.deviceId)].filter((s): s is DeviceState => s !== undefined)
      : [...this.devices.values()];
    const since = options.since?.toISOString() ?? "";
    return states
      .flatMap((s) => s.anomalies)
      .filter((a) => a.at >= since)
      .sort((a, b) => b.at.localeCompare(a.at) || b.score - a.score)
      .slice(0, options.limit ?? 200);
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
        const state: DeviceState = { detectors: new Map(), lastAt: Number.NEGATIVE_INFINITY, anomalies: [] };
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
    const raised: LiveAnomaly[] = [];
    for (const metric of LIVE_METRICS) {
      const value = values[metric];
      if (typeof value !== "number" || !Number.isFinite(value)) continue;
      let detector = state.detectors.get(metric);
      if (!detector) {
        detector = new StreamingAnomalyDetector(this.options.detector ?? defaultStreamingOptions);
        state.detectors.set(metric, detector);
      }
      const s = detector.update(value, at);
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
        basis: s.basis,
      });
    }
    if (raised.length > 0) {
      state.anomalies.push(...raised);
      const keep = this.options.keepPerDevice ?? 100;
      if (state.anomalies.length > keep) state.anomalies.splice(0, state.anomalies.length - keep);
    }
    return raised;
  }
}
