/**
 * The Numenta Anomaly Benchmark's scoring (Lavin & Ahmad 2015), written from its published description:
 * each labelled window rewards its first detection by a scaled sigmoid of where in the window it falls
 * (early ≈ 1, at the right edge ≈ 0), a missed window costs fnWeight, a detection outside every window
 * costs fpWeight scaled by its distance past the previous window, the first 15 % of each file (at most
 * 750 rows) is a probationary period that is not scored, one threshold is optimised over the whole
 * corpus, and the result is normalised to 0 (the null detector) … 100 (a perfect one).
 */

export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** One result file: row timestamps (ms), the detector's scores in [0, 1], and the labelled windows (ms). */
export interface ScoredSeries {
  name: string;
  timestamps: number[];
  scores: number[];
  windows: Array<[number, number]>;
}

export interface ThresholdResult {
  threshold: number;
  /** The raw corpus score at that threshold (sum of window rewards, misses and false-positive costs). */
  raw: number;
  /** 100 × (raw − null) ÷ (perfect − null). */
  normalized: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface FileScore {
  name: string;
  raw: number;
  windows: number;
  detected: number;
  false_positives: number;
}

interface ScoredPoint {
  score: number;
  /** What a detection at this row is worth: positive inside a window, a cost outside. */
  weight: number;
  /** Window key ("file|index"), or null outside every window. */
  window: string | null;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** +0.987 at a window's left edge, 0 at its right edge, towards −1 for rows ever further past it. */
export function scaledSigmoid(relativePosition: number): number {
  return relativePosition >= 3 ? -1 : 2 * sigmoid(-5 * relativePosition) - 1;
}

export const probationaryLength = (rows: number, percent = 0.15) =>
  Math.min(Math.floor(percent * rows), percent * 5000);

/** Every scorable row of one file with what detecting it is worth (probationary rows left out). */
function scorePoints(series: ScoredSeries, cost: CostMatrix, probationPercent: number): ScoredPoint[] {
  const { timestamps, scores, windows } = series;
  const maxTp = scaledSigmoid(-1);
  const probation = probationaryLength(timestamps.length, probationPercent);
  // Row index of each window's edges (first row at or after the start, last row at or before the end).
  const bounds = windows
    .map(([start, end]) => {
      let left = timestamps.findIndex((t) => t >= start);
      let right = -1;
      for (let i = timestamps.length - 1; i >= 0; i--)
        if ((timestamps[i] ?? 0) <= end) {
          right = i;
          break;
        }
      if (left < 0) left = timestamps.length;
      return { left, right };
    })
    .filter((b) => b.right >= b.left);
  const points: ScoredPoint[] = [];
  let w = 0;
  let prevRight: number | null = null;
  let prevWidth = 0;
  for (let i = 0; i < timestamps.length; i++) {
    const win = bounds[w];
    const inside = win !== undefined && i >= win.left && i <= win.right;
    let weight: number;
    if (inside) {
      const width = win.right - win.left + 1;
      weight = (scaledSigmoid(-(win.right - i + 1) / width) * cost.tpWeight) / maxTp;
    } else {
      const past = prevRight === null ? 3 : Math.abs(prevRight - i) / Math.max(prevWidth - 1, 1);
      weight = scaledSigmoid(past) * cost.fpWeight;
    }
    if (i >= probation) points.push({ score: scores[i] ?? 0, weight, window: inside ? `${series.name}|${w}` : null });
    if (inside && win && i === win.right) {
      prevRight = i;
      prevWidth = win.right - win.left + 1;
      w += 1;
    }
  }
  return points;
}

/**
 * Sweeps every threshold over the pooled rows of the corpus (a row is detected when score ≥ threshold) and
 * answers the best one for this cost matrix, normalised against the null and the perfect detector.
 */
export function scoreCorpus(series: ScoredSeries[], cost: CostMatrix, probationPercent = 0.15): ThresholdResult {
  const points = series.flatMap((s) => scorePoints(s, cost, probationPercent));
  const windowScore = new Map<string, number>();
  for (const p of points) if (p.window) windowScore.set(p.window, -cost.fnWeight);
  const windowCount = windowScore.size;
  const nullScore = -cost.fnWeight * windowCount;
  const perfect = cost.tpWeight * windowCount;
  const normalize = (raw: number) => (perfect === nullScore ? 0 : (100 * (raw - nullScore)) / (perfect - nullScore));

  points.sort((a, b) => b.score - a.score);
  let fpSum = 0;
  let windowSum = nullScore;
  let tp = 0;
  let fp = 0;
  const detected = new Set<string>();
  let best: ThresholdResult = { threshold: 1.1, raw: nullScore, normalized: 0, tp: 0, fp: 0, fn: windowCount };
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as ScoredPoint;
    if (p.window === null) {
      fpSum += p.weight;
      fp += 1;
    } else {
      const old = windowScore.get(p.window) ?? -cost.fnWeight;
      if (p.weight > old) {
        windowScore.set(p.window, p.weight);
        windowSum += p.weight - old;
      }
      tp += 1;
      detected.add(p.window);
    }
    // A threshold is complete once every row with the same score is in.
    const next = points[i + 1];
    if (next && next.score === p.score) continue;
    const raw = windowSum + fpSum;
    if (raw > best.raw)
      best = { threshold: p.score, raw, normalized: normalize(raw), tp, fp, fn: windowCount - detected.size };
  }
  return best;
}

/** One file's part of the corpus score at a fixed threshold (the per-file table of the report). */
export function scoreFile(
  series: ScoredSeries,
  cost: CostMatrix,
  threshold: number,
  probationPercent = 0.15,
): FileScore {
  const points = scorePoints(series, cost, probationPercent);
  const windows = new Map<string, number>();
  for (const p of points) if (p.window) windows.set(p.window, -cost.fnWeight);
  let fpSum = 0;
  let falsePositives = 0;
  for (const p of points) {
    if (p.score < threshold) continue;
    if (p.window === null) {
      fpSum += p.weight;
      falsePositives += 1;
    } else windows.set(p.window, Math.max(windows.get(p.window) ?? -cost.fnWeight, p.weight));
  }
  let raw = fpSum;
  let detected = 0;
  for (const v of windows.values()) {
    raw += v;
    if (v > -cost.fnWeight) detected += 1;
  }
  return { name: series.name, raw, windows: windows.size, detected, false_positives: falsePositives };
}
