import { describe, expect, it } from "vitest";
import {
  type CostMatrix,
  probationaryLength,
  type ScoredSeries,
  scaledSigmoid,
  scoreCorpus,
  scoreFile,
} from "./score-nab.ts";

const standard: CostMatrix = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
const MIN = 60_000;

/** 1 000 rows a minute apart with one labelled window over rows 500–599 (after the 150-row probation). */
function series(scoreAt: (i: number) => number, windows: Array<[number, number]> = [[500, 599]]): ScoredSeries {
  const timestamps = Array.from({ length: 1000 }, (_, i) => i * MIN);
  return {
    name: "test/series.csv",
    timestamps,
    scores: timestamps.map((_, i) => scoreAt(i)),
    windows: windows.map(([a, b]) => [a * MIN, b * MIN]),
  };
}

describe("NAB scoring", () => {
  it("the scaled sigmoid rewards the left edge of a window most and costs most far past it", () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.9866, 4);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.9866, 4);
    expect(scaledSigmoid(3)).toBe(-1);
    expect(probationaryLength(1000)).toBe(150);
    expect(probationaryLength(100_000)).toBe(750);
  });

  it("a perfect detector scores 100 and the null detector 0", () => {
    expect(scoreCorpus([series((i) => (i === 500 ? 1 : 0))], standard).normalized).toBeCloseTo(100, 6);
    expect(scoreCorpus([series(() => 0.5)], standard).normalized).toBeCloseTo(0, 6);
    expect(scoreCorpus([series(() => 0)], standard).normalized).toBeCloseTo(0, 6);
  });

  it("an early detection is worth nearly a full window, a late one nearly nothing", () => {
    const early = scoreCorpus([series((i) => (i === 505 ? 1 : 0))], standard);
    const late = scoreCorpus([series((i) => (i === 598 ? 1 : 0))], standard);
    expect(early.normalized).toBeGreaterThan(95);
    // Row 598 of a 100-row window ending at 599: position −2/100, a reward of about 0.05 instead of −1 for a miss.
    expect(late.raw).toBeCloseTo(scaledSigmoid(-0.02) / scaledSigmoid(-1), 9);
    expect(late.normalized).toBeLessThan(53);
    expect(early.tp).toBe(1);
  });

  it("only the first detection in a window counts", () => {
    const once = scoreCorpus([series((i) => (i === 520 ? 1 : 0))], standard);
    const many = scoreCorpus([series((i) => (i >= 520 && i < 600 ? 1 : 0))], standard);
    expect(many.normalized).toBeCloseTo(once.normalized, 9);
  });

  it("false positives cost fpWeight each far from a window, less just after one, nothing in probation", () => {
    const hit = (i: number) => (i === 500 ? 1 : 0);
    const withFar = scoreFile(
      series((i) => (hit(i) || i === 950 ? 1 : 0), [[300, 309]]),
      standard,
      1,
    );
    expect(withFar.false_positives).toBe(2);
    const far = scoreFile(
      series((i) => (i === 900 ? 1 : 0)),
      standard,
      1,
    );
    expect(far.raw).toBeCloseTo(-1 + 0.11 * scaledSigmoid(3), 9);
    const near = scoreFile(
      series((i) => (i === 601 ? 1 : 0)),
      standard,
      1,
    );
    expect(near.raw).toBeGreaterThan(far.raw);
    const probation = scoreFile(
      series((i) => (i === 10 ? 1 : 0)),
      standard,
      1,
    );
    expect(probation.false_positives).toBe(0);
    expect(probation.raw).toBe(-1);
  });

  it("the threshold is optimised over the corpus: a noisy low score is not worth detecting", () => {
    const s = series((i) => (i === 510 ? 0.9 : i % 7 === 0 ? 0.5 : 0));
    const best = scoreCorpus([s], standard);
    expect(best.threshold).toBe(0.9);
    expect(best.fp).toBe(0);
    // The low-FN profile weighs a miss twice: the same detection scores higher on it.
    const lowFn = scoreCorpus([s], { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 });
    expect(lowFn.raw).toBeCloseTo(best.raw, 9);
    expect(lowFn.normalized).toBeGreaterThan(best.normalized);
  });
});
