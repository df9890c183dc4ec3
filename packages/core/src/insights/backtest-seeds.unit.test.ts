import { describe, expect, it } from "vitest";
import type { BacktestResult, FalseAlarm, FaultOutcome, MethodScore } from "./backtest.ts";
import { aggregateBacktests, falseAlarmCause, parseSeeds } from "./backtest-seeds.ts";

const score = (precision: number | null, recall: number | null, falseAlarms = 0): MethodScore => ({
  precision,
  precision_excluding_incidents: precision,
  recall,
  median_lead_minutes: null,
  median_lead_minutes_gradual: null,
  detected: 0,
  missed: 0,
  false_alarms: falseAlarms,
  false_alarms_during_incidents: 0,
});

const fault = (
  kind: FaultOutcome["kind"],
  gradual: boolean,
  risk: number | null,
  anomaly: number | null,
): FaultOutcome => {
  const at = (lead: number | null) => (lead === null ? null : "2026-01-05T12:00:00.000Z");
  const combined = risk === null ? anomaly : anomaly === null ? risk : Math.max(risk, anomaly);
  return {
    device_id: "d",
    kind,
    gradual,
    injected_at: "2026-01-05T11:00:00.000Z",
    failed_at: "2026-01-05T13:00:00.000Z",
    first_alarm: { failure_risk: at(risk), anomalies: at(anomaly), combined: at(combined) },
    lead_minutes: { failure_risk: risk, anomalies: anomaly, combined },
  };
};

const benign = (kind: string, combinedAlarms: number) => ({
  kind,
  alarms: combinedAlarms ? { combined: combinedAlarms } : {},
});

const falseAlarm = (
  method: FalseAlarm["method"],
  at: string,
  near: FalseAlarm["nearest_event"],
  duringIncident = false,
): FalseAlarm => ({
  device_id: "d",
  method,
  at: `2026-01-05T${at}:00.000Z`,
  reason: "why",
  score: 0.7,
  during_incident: duringIncident,
  nearest_event: near,
});
const configBlip = {
  kind: "config_blip",
  at: "2026-01-05T13:00:00.000Z",
  until: "2026-01-05T13:02:00.000Z",
  minutes_after_start: 10,
};

const seedResult = (seed: number, faults: FaultOutcome[], combined: MethodScore, falseAlarms: FalseAlarm[] = []) =>
  ({
    config: { seed },
    faults,
    false_alarm_details: falseAlarms,
    benign: [benign("opening_rush", 0), benign("planned_restart", seed === 2 ? 2 : 0)],
    scores: { failure_risk: score(1, 0.5), anomalies: score(0.5, 1, 2), combined },
    data: { reports: 100, metrics_rows: 100, evaluations: 10 },
  }) as unknown as BacktestResult;

describe("the multi-seed backtest's aggregation", () => {
  it("gives mean and worst per method over the seeds, pooled leads, a per-kind table and the goals", () => {
    const r = aggregateBacktests([
      seedResult(1, [fault("memory_leak", true, 40, 10), fault("network_loss", false, null, -4)], score(1, 1)),
      seedResult(2, [fault("memory_leak", true, null, 20), fault("cpu_runaway", true, 35, null)], score(0.6, 1, 2), [
        falseAlarm("failure_risk", "13:10", configBlip),
        falseAlarm("combined", "13:10", configBlip),
        falseAlarm("combined", "16:00", configBlip, true),
        falseAlarm("combined", "17:00", null),
      ]),
    ]);
    expect(r.seeds).toEqual([1, 2]);
    expect(r.aggregate.combined.precision).toEqual({ mean: 0.8, worst: 0.6 });
    expect(r.aggregate.combined.recall).toEqual({ mean: 1, worst: 1 });
    expect(r.aggregate.combined.false_alarms).toBe(2);
    expect(r.aggregate.anomalies.false_alarms).toBe(4);
    // Pooled over the four faults: combined leads 40, -4, 20, 35.
    expect(r.aggregate.combined.median_lead_minutes).toBe(27.5);
    expect(r.aggregate.combined.median_lead_minutes_gradual).toBe(35);
    expect(r.aggregate.failure_risk.detected).toBe(2);
    expect(r.aggregate.failure_risk.missed).toBe(2);
    expect(r.by_kind.memory_leak).toMatchObject({ faults: 2, failed: 2, detected: 2, recall: 1, gradual: 2 });
    expect(r.failure_risk_gradual).toEqual({ faults: 3, recall: 0.667, median_lead_minutes: 37.5 });
    expect(r.benign).toEqual({ opening_rush: { events: 2, alarmed: 0 }, planned_restart: { events: 2, alarmed: 1 } });
    // Each false alarm is listed with its seed; the combined ones are grouped by the event near them (an alarm
    // three hours after the config blip is not its doing).
    expect(r.false_alarms).toHaveLength(4);
    expect(r.false_alarms[0]).toMatchObject({ seed: 2, method: "failure_risk", score: 0.7 });
    expect(r.false_alarm_causes).toEqual({
      config_blip: { alarms: 1, counted: 1 },
      "nothing near": { alarms: 2, counted: 1 },
    });
    expect(r.goals.met).toBe(false);
    expect(r.data.reports).toBe(200);
  });

  it("names an event as a false alarm's cause only within half an hour of it", () => {
    expect(falseAlarmCause(falseAlarm("combined", "13:32", configBlip))).toBe("config_blip");
    expect(falseAlarmCause(falseAlarm("combined", "13:33", configBlip))).toBe("nothing near");
    expect(falseAlarmCause(falseAlarm("combined", "12:30", configBlip))).toBe("config_blip");
    expect(falseAlarmCause(falseAlarm("combined", "12:29", configBlip))).toBe("nothing near");
    expect(falseAlarmCause(falseAlarm("combined", "14:00", { ...configBlip, until: null }))).toBe("config_blip");
  });

  it("parses seed lists and ranges, and says what is wrong with a bad one", () => {
    expect(parseSeeds("1-3,7,2")).toEqual([1, 2, 3, 7]);
    expect(parseSeeds("5-3")).toMatch(/ends before/);
    expect(parseSeeds("x")).toMatch(/not a seed/);
    expect(parseSeeds("1-500")).toMatch(/at most/);
  });
});
