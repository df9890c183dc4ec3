/** Small, dependency-free robust statistics the insights are built from. All pure. */

export const clamp = (x: number, lo = 0, hi = 1): number => (x < lo ? lo : Math.min(x, hi));
export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function quantile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const pos = clamp(q) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export const median = (xs: readonly number[]): number | null => quantile(xs, 0.5);

/** Median absolute deviation (unscaled). */
export function mad(xs: readonly number[]): number | null {
  const m = median(xs);
  if (m === null) return null;
  return median(xs.map((x) => Math.abs(x - m)));
}

/**
 * Robust z-score of `x` against a baseline: 0.6745·(x − median)/MAD (Iglewicz–Hoaglin). `minMad` keeps a
 * perfectly flat baseline from turning every tiny wiggle into an outlier.
 */
export function robustZ(
  x: number,
  baseline: readonly number[],
  minMad: number,
): { z: number; median: number; mad: number } | null {
  const m = median(baseline);
  const d = mad(baseline);
  if (m === null || d === null) return null;
  const scale = Math.max(d, minMad);
  return { z: (0.6745 * (x - m)) / scale, median: m, mad: d };
}

export interface Point {
  /** Time in hours (any origin). */
  t: number;
  v: number;
}

export interface Trend {
  /** Units per hour (Theil–Sen: the median of pairwise slopes, robust to outliers). */
  slopePerHour: number;
  /** Value of the fitted line at the last point's time. */
  level: number;
  /** Share of pairwise slopes with the same sign as the estimate (0.5 = no trend, 1 = monotone). */
  consistency: number;
  /** Residual spread around the line (MAD of residuals). */
  noise: number;
  n: number;
  spanHours: number;
}

/** Theil–Sen trend of a series; null below 3 points or a span under `minSpanHours`. Subsamples pairs above ~60 points. */
export function theilSen(points: readonly Point[], minSpanHours = 0): Trend | null {
  if (points.length < 3) return null;
  const ps = [...points].sort((a, b) => a.t - b.t);
  const first = ps[0] as Point;
  const last = ps[ps.length - 1] as Point;
  const span = last.t - first.t;
  if (span <= 0 || span < minSpanHours) return null;
  const step = Math.max(1, Math.floor(ps.length / 60));
  const slopes: number[] = [];
  for (let i = 0; i < ps.length; i += step) {
    for (let j = i + step; j < ps.length; j += step) {
      const a = ps[i] as Point;
      const b = ps[j] as Point;
      if (b.t > a.t) slopes.push((b.v - a.v) / (b.t - a.t));
    }
  }
  if (slopes.length === 0) return null;
  const slope = median(slopes) as number;
  const intercepts = ps.map((p) => p.v - slope * p.t);
  const b0 = median(intercepts) as number;
  const residuals = ps.map((p) => p.v - (b0 + slope * p.t));
  const sign = Math.sign(slope);
  const agree = sign === 0 ? slopes.filter((s) => s === 0).length : slopes.filter((s) => Math.sign(s) === sign).length;
  return {
    slopePerHour: slope,
    level: b0 + slope * last.t,
    consistency: agree / slopes.length,
    noise: (mad(residuals) as number) * 1.4826,
    n: ps.length,
    spanHours: span,
  };
}

/**
 * Hours until a trending series reaches `threshold` (upwards), or null when it is not heading there.
 * 0 when it is already at or above it.
 */
export function hoursToThreshold(trend: Pick<Trend, "level" | "slopePerHour">, threshold: number): number | null {
  if (trend.level >= threshold) return 0;
  if (trend.slopePerHour <= 0) return null;
  return (threshold - trend.level) / trend.slopePerHour;
}

/** Combines independent probabilities: the chance that at least one happens (noisy-OR). */
export function noisyOr(ps: readonly number[]): number {
  let none = 1;
  for (const p of ps) none *= 1 - clamp(p);
  return 1 - none;
}

/** Beta-binomial posterior mean: successes/trials shrunk toward `prior` with the weight of `priorWeight` trials. */
export function shrunkRate(successes: number, trials: number, prior: number, priorWeight: number): number {
  return (successes + prior * priorWeight) / (trials + priorWeight);
}

/**
 * Confidence from how much data there is: 0 with none, about 0.63 at `enough`, approaching 1 beyond.
 * One formula everywhere, so "low data → low confidence" is the same promise in every answer.
 */
export function sampleConfidence(n: number, enough: number): number {
  if (n <= 0 || enough <= 0) return 0;
  return 1 - Math.exp(-n / enough);
}

/** z of a Poisson rise from count `a` (earlier) to `b` (later) over equal periods. */
export function poissonRiseZ(a: number, b: number): number {
  if (a + b === 0) return 0;
  return (b - a) / Math.sqrt(a + b);
}
