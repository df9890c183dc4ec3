import { describe, expect, it } from "vitest";
import { defaultStreamingOptions, StreamingAnomalyDetector, utcHourOfDay, utcHourOfWeek } from "./streaming-anomaly.ts";

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

  it("is deterministic and stays in [0, 1]", () => {
    const values = seasonal(2000, 1500);
    const a = run(values).map((s) => s.score);
    expect(run(values).map((s) => s.score)).toEqual(a);
    expect(a.every((s) => s >= 0 && s <= 1)).toBe(true);
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

  it("a value beyond every value seen so far cuts through the quiet after an alarm, and a ramp alarms once", () => {
    const values = seasonal(3000, 2500);
    // A second, larger event 50 rows after the first (inside its refractory period), then a ramp above it.
    values[2550] = 200;
    for (let i = 2700; i < 2720; i++) values[i] = 210 + i - 2700;
    const scores = run(values);
    const alarms = scores.map((s, i) => (s.alarm ? i : -1)).filter((i) => i >= 0);
    expect(alarms).toEqual([2500, 2550, 2700]);
    expect(scores[2550]).toMatchObject({ score: 1, basis: "new_range" });
    // The short quiet after a new range: the ramp's next values, each a new maximum, do not alarm again.
    expect(scores.slice(2701, 2720).every((s) => s.score === 0)).toBe(true);
  });

  it("sees a weekly pattern: a weekday level on a weekend hour is unusual for that hour of the week", () => {
    const HOUR = 60 * MIN;
    // Hourly values for 25 weeks (an hour of the week needs 20 visits): 100 on weekdays, 20 at weekends (1970-01-01 was a Thursday), small noise.
    const at = (i: number) => i * HOUR;
    const weekend = (i: number) => [0, 6].includes(new Date(at(i)).getUTCDay());
    const values = Array.from({ length: 24 * 7 * 25 }, (_, i) => (weekend(i) ? 20 : 100) + ((i * 7) % 5) - 2);
    const probe = values.findIndex((_, i) => i > 24 * 7 * 24 && weekend(i) && new Date(at(i)).getUTCHours() === 12);
    values[probe] = 100;
    const d = new StreamingAnomalyDetector();
    const scores = values.map((v, i) => d.update(v, at(i)));
    expect(scores[probe]).toMatchObject({ basis: "hour_of_week", alarm: true });
    expect(scores[probe]?.expected).toBeLessThan(40);
  });

  it("gives no score while learning", () => {
    const scores = run(seasonal(400, 10));
    expect(scores.slice(0, defaultStreamingOptions.learningSamples).every((s) => s.score === 0)).toBe(true);
  });
});

describe("hour-of-day and hour-of-week slots", () => {
  it("agree with Date's UTC fields, before 1970 and across day and week boundaries too", () => {
    const times = [0, -1, 1, 3_599_999, 3_600_000, 86_399_999, 86_400_000, 4 * 86_400_000 - 1, -4e11, 1.7e12];
    let t = -3e12;
    while (t < 4e12) {
      times.push(t, t - 1, t + 1);
      t += 9_876_543_217;
    }
    for (const at of times) {
      const d = new Date(at);
      expect([at, utcHourOfDay(at)]).toEqual([at, d.getUTCHours()]);
      expect([at, utcHourOfWeek(at)]).toEqual([at, d.getUTCDay() * 24 + d.getUTCHours()]);
    }
  });
});
