import { describe, expect, it } from "vitest";
import {
  hoursToThreshold,
  mad,
  median,
  noisyOr,
  poissonRiseZ,
  quantile,
  robustZ,
  sampleConfidence,
  shrunkRate,
  theilSen,
} from "./stats.ts";

describe("robust statistics", () => {
  it("median, quantile and MAD", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(median([])).toBeNull();
    // |x − 3| = 2,1,0,1,97 → median 1
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
  });

  it("robust z uses 0.6745·(x − median)/MAD with a floor under the MAD", () => {
    const r = robustZ(13, [9, 10, 10, 11, 10], 0.1);
    // median 10, MAD 0 → floor 0.1 → z = 0.6745·3/0.1
    expect(r?.z).toBeCloseTo(20.235, 3);
    const r2 = robustZ(14, [8, 9, 10, 11, 12], 0.1);
    expect(r2?.mad).toBe(1);
    expect(r2?.z).toBeCloseTo(0.6745 * 4, 6);
    expect(robustZ(1, [], 1)).toBeNull();
  });

  it("Theil–Sen recovers a slope through an outlier and measures consistency", () => {
    const pts = Array.from({ length: 11 }, (_, i) => ({ t: i / 10, v: 50 + 20 * (i / 10) }));
    pts[5] = { t: 0.5, v: 500 };
    const tr = theilSen(pts);
    expect(tr?.slopePerHour).toBeCloseTo(20, 6);
    expect(tr?.level).toBeCloseTo(70, 6);
    expect(tr?.consistency).toBeGreaterThan(0.75);
    expect(theilSen(pts.slice(0, 2))).toBeNull();
  });

  it("hours to a threshold from level and slope", () => {
    expect(hoursToThreshold({ level: 80, slopePerHour: 10 }, 95)).toBe(1.5);
    expect(hoursToThreshold({ level: 96, slopePerHour: -1 }, 95)).toBe(0);
    expect(hoursToThreshold({ level: 80, slopePerHour: 0 }, 95)).toBeNull();
  });

  it("noisy-OR, shrinkage, confidence and Poisson rise", () => {
    expect(noisyOr([0.5, 0.5])).toBe(0.75);
    expect(noisyOr([])).toBe(0);
    expect(shrunkRate(0, 0, 0.2, 10)).toBe(0.2);
    expect(shrunkRate(10, 10, 0, 10)).toBe(0.5);
    expect(sampleConfidence(0, 10)).toBe(0);
    expect(sampleConfidence(10, 10)).toBeCloseTo(1 - Math.exp(-1), 9);
    expect(poissonRiseZ(1, 9)).toBeCloseTo(8 / Math.sqrt(10), 9);
  });
});
