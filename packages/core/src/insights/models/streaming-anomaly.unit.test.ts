import { describe, expect, it } from "vitest";
import { defaultStreamingOptions, StreamingAnomalyDetector } from "./streaming-anomaly.ts";

const MIN = 60_000;
/** A daily-seasonal series with noise from a fixed generator, a spike at `spikeAt`. */
function seasonal(n: number, spikeAt: number): number[] {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: n }, (_, i) => {
    const base = 50 + 20 * Math.sin((2 * Math.PI * i) / (24 * 12)) + (rnd() - 0.5) * 4;
    return i === spikeAt ? base + 60 : base;
  });
}
const run = (values: number[]) => {
  const d = new StreamingAnomalyDetector();
  return values.map((v, i) => d.update(v, i * 5 * MIN));
};

describe("streaming anomaly detector", () => {
  it("never looks ahead: every score of a prefix equals the score of the full run at that row", () => {
    const values = seasonal(3000, 2500);
    const full = run(values);
    for (const cut of [400, 1234, 2501]) {
      const prefix = run(values.slice(0, cut));
      expect(prefix.map((s) => s.score)).toEqual(full.slice(0, cut).map((s) => s.score));
    }
  });

  it("is deterministic and stays in [0, 1)", () => {
    const values = seasonal(2000, 1500);
    const a = run(values).map((s) => s.score);
    expect(run(values).map((s) => s.score)).toEqual(a);
    expect(a.every((s) => s >= 0 && s < 1)).toBe(true);
  });

  it("alarms on a spike once, names the expected range, and is quiet on the normal daily cycle", () => {
    const scores = run(seasonal(3000, 2500));
    const alarms = scores.map((s, i) => (s.alarm ? i : -1)).filter((i) => i >= 0);
    expect(alarms).toEqual([2500]);
    const spike = scores[2500];
    expect(spike?.score).toBeGreaterThanOrEqual(defaultStreamingOptions.alarmScore);
    expect(spike?.expected).toBeGreaterThan(20);
    expect(spike?.spread).toBeGreaterThan(0);
    // The refractory period: the rows right after the alarm score 0.
    expect(scores.slice(2501, 2501 + defaultStreamingOptions.refractorySamples).every((s) => s.score === 0)).toBe(true);
  });

  it("gives no score while learning", () => {
    const scores = run(seasonal(400, 10));
    expect(scores.slice(0, defaultStreamingOptions.learningSamples).every((s) => s.score === 0)).toBe(true);
  });
});
