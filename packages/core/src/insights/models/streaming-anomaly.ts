/**
 * The streaming anomaly detector: one instance per series (a device's metric, or a NAB file), constant state
 * (a few running moments, 24 hour-of-day slots and a short ring), each score computed from the values seen so
 * far only (no look-ahead), deterministic. Scored on the Numenta Anomaly Benchmark by `homepot insights nab`.
 *
 * A value is surprising by the largest of three z-scores:
 *  - level: distance from the long-run exponentially weighted mean, in long-run standard deviations;
 *  - recent level: the mean of the last few values against the same baseline (a shift that single noisy
 *    values hide), scaled down since averaging makes it sharper;
 *  - time of day: distance from what this hour of the day usually looks like (daily seasonality), once the
 *    hour has been seen often enough.
 * The score maps that z to [0, 1) monotonically (1 − e^(−z/10)); after a score reaches the alarm level the
 * detector stays quiet for a refractory period, so one event alarms once.
 */

export interface StreamingAnomalyOptions {
  /** Values learnt from before any score is given (scores are 0 while learning). */
  learningSamples: number;
  /** Weight of the long-run baseline's update (≈ 1 ÷ its memory in samples). */
  baselineRate: number;
  /** Values in the recent-level mean. */
  recentSamples: number;
  /** Weight of the time-of-day z (below 1: seasonality is a softer signal). */
  hourWeight: number;
  /** Samples an hour-of-day slot needs before its z counts. */
  hourMinSamples: number;
  /** Score at which an alarm is raised (and the refractory period starts). */
  alarmScore: number;
  /** Samples after an alarm during which the score is 0. */
  refractorySamples: number;
}

export const defaultStreamingOptions: StreamingAnomalyOptions = {
  learningSamples: 300,
  baselineRate: 1 / 1000,
  recentSamples: 10,
  hourWeight: 0.8,
  hourMinSamples: 20,
  alarmScore: 0.45,
  refractorySamples: 200,
};

export interface StreamingScore {
  /** Anomaly score in [0, 1). */
  score: number;
  /** The z-score behind it (the largest of the three views). */
  z: number;
  /** Which view saw it: the long-run level, the recent level, or the hour of day. */
  basis: "level" | "recent_level" | "hour_of_day";
  /** The value the detector expected and one standard deviation around it (the "expected range"). */
  expected: number;
  spread: number;
  /** True when this score raised an alarm (it reached the alarm level outside a refractory period). */
  alarm: boolean;
}

/** The z at which a score reaches `score` (for presenting thresholds). */
export const zForScore = (score: number) => -10 * Math.log(1 - score);
const scoreOf = (z: number) => 1 - Math.exp(-Math.abs(z) / 10);

export class StreamingAnomalyDetector {
  private n = 0;
  private mean = 0;
  private variance = 0;
  private readonly recent: Float64Array;
  private recentSum = 0;
  private readonly hourMean = new Float64Array(24);
  private readonly hourVar = new Float64Array(24);
  private readonly hourCount = new Float64Array(24);
  private quiet = 0;

  constructor(private readonly options: StreamingAnomalyOptions = defaultStreamingOptions) {
    this.recent = new Float64Array(options.recentSamples);
  }

  /** Scores one value (in time order; `at` in ms gives the hour of day) and learns from it. */
  update(value: number, at: number): StreamingScore {
    const o = this.options;
    if (this.n === 0) this.mean = value;
    const sd = Math.sqrt(this.variance) + 1e-9;
    const zLevel = (value - this.mean) / sd;
    const slot = this.n % o.recentSamples;
    this.recentSum += value - (this.recent[slot] ?? 0);
    this.recent[slot] = value;
    const k = Math.min(this.n + 1, o.recentSamples);
    const zRecent = (this.recentSum / k - this.mean) / (sd / Math.sqrt(k)) / 2;
    const hour = new Date(at).getUTCHours();
    const hourCount = this.hourCount[hour] ?? 0;
    const hourMean = this.hourMean[hour] ?? 0;
    const hourSd = Math.sqrt(this.hourVar[hour] ?? 0) + 1e-9;
    const zHour = hourCount >= o.hourMinSamples ? (o.hourWeight * (value - hourMean)) / hourSd : 0;

    const views = [
      { z: Math.abs(zLevel), basis: "level" as const, expected: this.mean, spread: sd },
      { z: Math.abs(zRecent), basis: "recent_level" as const, expected: this.mean, spread: sd },
      { z: Math.abs(zHour), basis: "hour_of_day" as const, expected: hourMean, spread: hourSd },
    ];
    const top = views.reduce((a, b) => (b.z > a.z ? b : a));
    let score = this.n < o.learningSamples ? 0 : scoreOf(top.z);
    let alarm = false;
    if (this.quiet > 0) {
      this.quiet -= 1;
      score = 0;
    } else if (score >= o.alarmScore) {
      alarm = true;
      this.quiet = o.refractorySamples;
    }
    this.learn(value, hour);
    return { score, z: top.z, basis: top.basis, expected: top.expected, spread: top.spread, alarm };
  }

  private learn(value: number, hour: number): void {
    this.n += 1;
    const a = this.options.baselineRate;
    const d = value - this.mean;
    this.mean += a * d;
    this.variance = (1 - a) * (this.variance + a * d * d);
    const count = (this.hourCount[hour] ?? 0) + 1;
    this.hourCount[hour] = count;
    // An hour's slot learns fast at first (a plain mean), then with a memory of ~100 visits.
    const ah = Math.max(1 / 100, 1 / count);
    const dh = value - (this.hourMean[hour] ?? 0);
    this.hourMean[hour] = (this.hourMean[hour] ?? 0) + ah * dh;
    this.hourVar[hour] = (1 - ah) * ((this.hourVar[hour] ?? 0) + ah * dh * dh);
  }
}
