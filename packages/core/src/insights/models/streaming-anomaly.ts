/**
 * The streaming anomaly detector: one instance per series (a device's metric, or a NAB file), constant state
 * (a few running moments, 24 hour-of-day and 168 hour-of-week slots, a short ring, the range seen so far),
 * each score computed from the values seen so far only (no look-ahead), deterministic. Scored on the Numenta
 * Anomaly Benchmark by `homepot insights nab`; one parameter set for every series.
 *
 * A value is surprising by the largest of four z-scores:
 *  - level: distance from the long-run exponentially weighted mean, in long-run standard deviations;
 *  - recent level: the mean of the last few values against the same baseline (a shift that single noisy
 *    values hide), scaled down since averaging makes it sharper;
 *  - hour of day: distance from what this hour of the day usually looks like (daily seasonality), once the
 *    hour has been seen often enough;
 *  - hour of week: the same per hour of the week (weekday/weekend patterns), a softer signal still.
 * The score maps that z to [0, 1) monotonically (1 − e^(−z/10)). A value outside every value seen so far
 * (by more than a small share of that range) is a new range and scores 1 on its own.
 *
 * Repeated alerts are suppressed: after a score reaches the alarm level the detector stays quiet for a
 * refractory period, so one event alarms once; only a value breaking the range seen so far cuts through that
 * quiet (a second, larger event), and it in turn is quiet for a short while so a ramp alarms once.
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
  /** Weight of the hour-of-week z. */
  weekWeight: number;
  /** Samples an hour-of-week slot needs before its z counts. */
  weekMinSamples: number;
  /** A value beyond the range seen so far by this share of the range is a new range (score 1). */
  newRangeMargin: number;
  /** Samples after a new-range alarm during which another new range does not alarm. */
  newRangeRefractorySamples: number;
  /** Score at which an alarm is raised (and the refractory period starts). */
  alarmScore: number;
  /** Samples after an alarm during which the score is 0. */
  refractorySamples: number;
}

export const defaultStreamingOptions: StreamingAnomalyOptions = {
  learningSamples: 300,
  baselineRate: 1 / 2000,
  recentSamples: 10,
  hourWeight: 0.8,
  hourMinSamples: 10,
  weekWeight: 0.6,
  weekMinSamples: 20,
  newRangeMargin: 0.02,
  newRangeRefractorySamples: 20,
  alarmScore: 0.45,
  refractorySamples: 500,
};

export type StreamingBasis = "level" | "recent_level" | "hour_of_day" | "hour_of_week" | "new_range";

export interface StreamingScore {
  /** Anomaly score in [0, 1]. */
  score: number;
  /** The z-score behind it (the largest of the views; for a new range, its distance past the range in spreads). */
  z: number;
  /** Which view saw it. */
  basis: StreamingBasis;
  /** The value the detector expected and one standard deviation around it (the "expected range"). */
  expected: number;
  spread: number;
  /** True when this score raised an alarm (it reached the alarm level outside a refractory period). */
  alarm: boolean;
  /**
   * The score before the refractory quiet (still 0 while learning): how surprising the value is now, even while
   * alarms are held back (the live alerts resolve once it falls back below the alarm level).
   */
  unsuppressed: number;
}

/** The z at which a score reaches `score` (for presenting thresholds). */
export const zForScore = (score: number) => -10 * Math.log(1 - score);
const scoreOf = (z: number) => 1 - Math.exp(-Math.abs(z) / 10);
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The remainder in [0, m) also for negative n (times before 1970), as Date's UTC fields give. */
const mod = (n: number, m: number) => ((n % m) + m) % m;
/** `new Date(at).getUTCHours()` by arithmetic: the detector runs for every metric of every sample, so no Date. */
export const utcHourOfDay = (at: number) => mod(Math.floor(at / HOUR_MS), 24);
/** `getUTCDay() * 24 + getUTCHours()` by arithmetic (1970-01-01 was a Thursday, day 4). */
export const utcHourOfWeek = (at: number) => mod(Math.floor(at / DAY_MS) + 4, 7) * 24 + utcHourOfDay(at);

/** Exponentially weighted mean and variance per slot (hour of day, hour of week): fast at first, then ~100 visits. */
class SlotMoments {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  readonly count: Float64Array;
  constructor(slots: number) {
    this.mean = new Float64Array(slots);
    this.variance = new Float64Array(slots);
    this.count = new Float64Array(slots);
  }
  meanOf(slot: number): number {
    return this.mean[slot] ?? 0;
  }
  sdOf(slot: number): number {
    return Math.sqrt(this.variance[slot] ?? 0) + 1e-9;
  }
  /** The slot's z of `value` (0 until the slot has `minSamples`). */
  z(slot: number, value: number, minSamples: number): number {
    return (this.count[slot] ?? 0) >= minSamples ? (value - this.meanOf(slot)) / this.sdOf(slot) : 0;
  }
  learn(slot: number, value: number): void {
    const count = (this.count[slot] ?? 0) + 1;
    this.count[slot] = count;
    const a = Math.max(1 / 100, 1 / count);
    const d = value - (this.mean[slot] ?? 0);
    this.mean[slot] = (this.mean[slot] ?? 0) + a * d;
    this.variance[slot] = (1 - a) * ((this.variance[slot] ?? 0) + a * d * d);
  }
}

export class StreamingAnomalyDetector {
  private n = 0;
  private mean = 0;
  private variance = 0;
  private readonly recent: Float64Array;
  private recentSum = 0;
  private readonly hours = new SlotMoments(24);
  private readonly week = new SlotMoments(168);
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private quiet = 0;
  private rangeQuiet = 0;

  constructor(private readonly options: StreamingAnomalyOptions = defaultStreamingOptions) {
    this.recent = new Float64Array(options.recentSamples);
  }

  /** Scores one value (in time order; `at` in ms gives the hour of day and week, UTC) and learns from it. */
  update(value: number, at: number): StreamingScore {
    const o = this.options;
    if (this.n === 0) this.mean = value;
    const sd = Math.sqrt(this.variance) + 1e-9;
    const slot = this.n % o.recentSamples;
    this.recentSum += value - (this.recent[slot] ?? 0);
    this.recent[slot] = value;
    const k = Math.min(this.n + 1, o.recentSamples);
    const hour = utcHourOfDay(at);
    const weekHour = utcHourOfWeek(at);

    // The largest of the four views (the first one on a tie), without an object per view.
    let topZ = Math.abs(value - this.mean) / sd;
    let topBasis: StreamingBasis = "level";
    let topExpected = this.mean;
    let topSpread = sd;
    const recentZ = Math.abs(this.recentSum / k - this.mean) / (sd / Math.sqrt(k)) / 2;
    if (recentZ > topZ) {
      topZ = recentZ;
      topBasis = "recent_level";
    }
    const hourZ = o.hourWeight * Math.abs(this.hours.z(hour, value, o.hourMinSamples));
    if (hourZ > topZ) {
      topZ = hourZ;
      topBasis = "hour_of_day";
      topExpected = this.hours.meanOf(hour);
      topSpread = this.hours.sdOf(hour);
    }
    const weekZ = o.weekWeight * Math.abs(this.week.z(weekHour, value, o.weekMinSamples));
    if (weekZ > topZ) {
      topZ = weekZ;
      topBasis = "hour_of_week";
      topExpected = this.week.meanOf(weekHour);
      topSpread = this.week.sdOf(weekHour);
    }
    let score = scoreOf(topZ);

    if (this.rangeQuiet > 0) this.rangeQuiet -= 1;
    const range = this.max - this.min;
    const margin = o.newRangeMargin * range;
    const newRange = this.rangeQuiet === 0 && range > 0 && (value > this.max + margin || value < this.min - margin);
    if (newRange) {
      const half = range / 2;
      topZ = Math.max(topZ, (Math.abs(value - (this.min + half)) - half) / sd);
      topBasis = "new_range";
      topExpected = this.min + half;
      topSpread = half;
      score = 1;
    }

    const learning = this.n < o.learningSamples;
    if (learning) score = 0;
    const unsuppressed = score;
    let alarm = false;
    if (this.quiet > 0 && !(newRange && !learning)) {
      this.quiet -= 1;
      score = 0;
    } else if (score >= o.alarmScore) {
      alarm = true;
      this.quiet = o.refractorySamples;
    }
    if (newRange && !learning) this.rangeQuiet = o.newRangeRefractorySamples;
    this.learn(value, hour, weekHour);
    return { score, z: topZ, basis: topBasis, expected: topExpected, spread: topSpread, alarm, unsuppressed };
  }

  private learn(value: number, hour: number, weekHour: number): void {
    this.n += 1;
    const a = this.options.baselineRate;
    const d = value - this.mean;
    this.mean += a * d;
    this.variance = (1 - a) * (this.variance + a * d * d);
    this.hours.learn(hour, value);
    this.week.learn(weekHour, value);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
}
