import { configurationHistory, deviceMetrics, deviceStateHistory, healthChecks } from "@homepot/db";
import { createTestDatabase } from "@homepot/db/testing";
import { describe, expect, it } from "vitest";
import { runBacktest } from "./backtest.ts";

describe("insights backtest", () => {
  it("runs the simulator with injected faults and scores failure risk and anomalies against the ground truth", async () => {
    const database = await createTestDatabase();
    try {
      const r = await runBacktest({ devices: 6, hours: 6, seed: 42, database });
      // The simulator really wrote its reports into the database the detectors read.
      expect(r.data.reports).toBeGreaterThan(6 * 5 * 60 * 0.9);
      expect(await database.db.$count(deviceMetrics)).toBe(r.data.reports);
      expect(await database.db.$count(healthChecks)).toBe(r.data.reports);
      expect(r.faults).toHaveLength(3);
      // The health flow recorded status changes, and the bad config's application is in configuration_history.
      expect(await database.db.$count(deviceStateHistory)).toBeGreaterThan(0);
      if (r.faults.some((f) => f.kind === "bad_config"))
        expect(await database.db.$count(configurationHistory)).toBeGreaterThan(0);
      // The benign events of the seed ran too: a rush and an early closing (two sites), then planned reboots and a
      // config update on the three devices without a fault (their order is the commands' timing, so it is not
      // compared); each says which false alarms it drew.
      expect(r.benign.map((b) => b.kind).sort()).toEqual([
        "closing_quiet",
        "config_blip",
        "opening_rush",
        "planned_restart",
        "planned_restart",
      ]);
      const faulty = new Set(r.faults.map((f) => f.device_id));
      for (const b of r.benign.filter((x) => x.device_id)) expect(faulty.has(b.device_id as string)).toBe(false);
      const failed = r.faults.filter((f) => f.failed_at !== null);
      expect(failed.length).toBeGreaterThan(0);
      for (const m of ["failure_risk", "anomalies", "combined"] as const) {
        const s = r.scores[m];
        expect(s.detected + s.missed).toBe(failed.length);
      }
      const c = r.scores.combined;
      // The goals, on this seeded run.
      expect(c.precision_excluding_incidents).toBeGreaterThanOrEqual(0.8);
      expect(c.precision).not.toBeNull();
      expect(c.recall).toBeGreaterThanOrEqual(0.8);
      if (r.faults.some((f) => f.gradual)) expect(c.median_lead_minutes_gradual).toBeGreaterThanOrEqual(10);
      expect(r.goals.met).toBe(true);
    } finally {
      await database.close();
    }
  }, 300_000);
});
