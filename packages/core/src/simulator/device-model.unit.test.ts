import { describe, expect, it } from "vitest";
import { type DeviceReport, SimulatedDevice } from "./device-model.ts";
import { Rng } from "./random.ts";
import { type ScheduleDay, type SiteProfile, siteActivity } from "./site-activity.ts";

const MIN = 60_000;
// Site-001's week from SPEC §7 (0 = Monday).
const d = (
  dayOfWeek: number,
  open: string | null,
  close: string | null,
  ps: string | null,
  pe: string | null,
  vol: number,
): ScheduleDay => ({
  dayOfWeek,
  openTime: open,
  closeTime: close,
  isClosed: open === null,
  isMaintenanceWindow: false,
  expectedTransactionVolume: vol,
  peakHoursStart: ps,
  peakHoursEnd: pe,
});
const site001: SiteProfile = {
  siteId: "site-001",
  timezone: "UTC",
  days: [
    d(0, "08:00", "22:00", "12:00", "14:00", 500),
    d(1, "08:00", "22:00", "12:00", "14:00", 450),
    d(2, "08:00", "22:00", "12:00", "14:00", 420),
    d(3, "08:00", "23:00", "18:00", "21:00", 550),
    d(4, "08:00", "23:30", "17:00", "21:00", 700),
    d(5, "09:00", "23:00", "11:00", "17:00", 650),
    d(6, "10:00", "18:00", "13:00", "15:00", 200),
  ],
};
const alwaysOpen: SiteProfile = {
  siteId: "s",
  timezone: "UTC",
  days: Array.from({ length: 7 }, (_, i) => d(i, "00:00", "24:00", null, null, 2000)),
};
// Monday 5 January 2026, 00:00 UTC.
const monday = Date.UTC(2026, 0, 5);

function run(
  device: SimulatedDevice,
  profile: SiteProfile,
  start: number,
  minutes: number,
  stepMin = 0.5,
): DeviceReport[] {
  const out: DeviceReport[] = [];
  for (let t = start; t < start + minutes * MIN; t += stepMin * MIN) {
    const at = new Date(t);
    const r = device.report(at, siteActivity(profile, at));
    if (r) out.push(r);
  }
  return out;
}

const newDevice = (id: string, seed: number | string = id, siteDeviceCount = 5, start = monday) =>
  new SimulatedDevice({ deviceId: id, siteId: "site-001", siteDeviceCount }, new Rng(seed), new Date(start));

describe("site activity", () => {
  it("is closed outside opening hours and busier at peak", () => {
    const at = (day: number, h: number, m = 0) =>
      siteActivity(site001, new Date(monday + day * 86_400_000 + h * 3_600_000 + m * MIN));
    expect(at(0, 3).open).toBe(false);
    expect(at(0, 3).transactionsPerMinute).toBe(0);
    expect(at(0, 22, 30).open).toBe(false);
    expect(at(4, 23, 15).open).toBe(true); // Friday until 23:30
    expect(at(6, 9).open).toBe(false); // Sunday opens at 10
    expect(at(0, 13).peak).toBe(true);
    expect(at(0, 13).transactionsPerMinute).toBeGreaterThan(2 * at(0, 10).transactionsPerMinute);
  });

  it("spreads about the expected daily volume over the day", () => {
    let total = 0;
    for (let m = 0; m < 24 * 60; m++) total += siteActivity(site001, new Date(monday + m * MIN)).transactionsPerMinute;
    expect(total).toBeGreaterThan(420);
    expect(total).toBeLessThanOrEqual(500);
  });

  it("reads the schedule in the site's time zone", () => {
    const ny = { ...site001, timezone: "America/New_York" };
    // 13:00 UTC on Monday is 08:00 in New York (winter): just opened, not 13:00 peak.
    const a = siteActivity(ny, new Date(monday + 13 * 3_600_000));
    expect(a.minuteOfDay).toBe(8 * 60);
    expect(a.peak).toBe(false);
    expect(siteActivity(ny, new Date(monday + 11 * 3_600_000)).open).toBe(false);
  });
});

describe("simulated device", () => {
  it("reports outcomes with the original's shares (≈85/8/4/3 %) over a seeded run", () => {
    const counts: Record<string, number> = {};
    let total = 0;
    for (let i = 0; i < 200; i++) {
      const dev = newDevice(`pos-${i}`, i, 5);
      for (const r of run(dev, alwaysOpen, monday, 150)) {
        counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
        total += 1;
      }
    }
    const share = (k: string) => (counts[k] ?? 0) / total;
    expect(total).toBe(200 * 300);
    expect(share("healthy")).toBeGreaterThan(0.82);
    expect(share("healthy")).toBeLessThan(0.88);
    expect(share("payment_gateway_timeout")).toBeGreaterThan(0.065);
    expect(share("payment_gateway_timeout")).toBeLessThan(0.095);
    expect(share("database_connection_failed")).toBeGreaterThan(0.028);
    expect(share("database_connection_failed")).toBeLessThan(0.052);
    expect(share("low_disk_space")).toBeGreaterThan(0.018);
    expect(share("low_disk_space")).toBeLessThan(0.042);
  });

  it("pairs each outcome with consistent status, error, services and metrics", () => {
    const reports = Array.from({ length: 20 }, (_, i) => run(newDevice(`p${i}`, i), alwaysOpen, monday, 120)).flat();
    for (const r of reports) {
      const m = r.metrics;
      for (const v of [m.cpu_percent, m.memory_percent, m.disk_percent, m.error_rate]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(100);
      }
      for (const v of [
        m.network_latency_ms,
        m.transaction_count,
        m.transaction_volume,
        m.active_connections,
        m.queue_depth,
      ]) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      }
      expect(m.extra_metrics).toHaveProperty("uptime_seconds");
      expect(m.extra_metrics).toHaveProperty("services");
      expect(m.extra_metrics).toHaveProperty("device_info");
      if (r.outcome === "healthy") {
        expect(r.health.status).toBe("healthy");
        expect(r.health.error).toBeNull();
      }
      if (r.outcome === "payment_gateway_timeout") {
        expect(r.health).toMatchObject({
          status: "unhealthy",
          error: "Payment gateway timeout",
          services: { payment_gateway: "disconnected" },
        });
      }
      if (r.outcome === "database_connection_failed") {
        expect(r.health).toMatchObject({
          status: "unhealthy",
          error: "Database connection failed",
          services: { database: "offline" },
        });
        expect(m.transaction_count).toBe(0);
      }
      if (r.outcome === "low_disk_space") {
        expect(r.health.error).toBe("Low disk space warning");
        expect(m.disk_percent).toBeGreaterThanOrEqual(90);
      }
    }
  });

  it("sells nothing while the site is closed, and more at peak than off-peak", () => {
    const dev = newDevice("pos-terminal-001", 7, 1);
    const night = run(dev, site001, monday, 7 * 60); // 00:00–07:00 Monday: closed
    expect(night.length).toBeGreaterThan(800);
    expect(night.every((r) => r.metrics.transaction_count === 0 && r.metrics.transaction_volume === 0)).toBe(true);
    const day = run(dev, site001, monday + 7 * 60 * MIN, 8 * 60); // 07–15, reporting every 30 s
    const between = (h1: number, h2: number) =>
      day.filter((r) => r.at.getTime() >= monday + h1 * 60 * MIN && r.at.getTime() < monday + h2 * 60 * MIN);
    const offPeak = between(9, 11);
    const peak = between(12, 14);
    const sum = (rs: DeviceReport[]) => rs.reduce((s, r) => s + r.metrics.transaction_count, 0);
    expect(sum(offPeak)).toBeGreaterThan(0);
    expect(sum(peak)).toBeGreaterThan(1.8 * sum(offPeak));
    const cpu = (rs: DeviceReport[]) => rs.reduce((s, r) => s + r.metrics.cpu_percent, 0) / rs.length;
    expect(cpu(peak)).toBeGreaterThan(cpu(night) + 15);
  });

  it("is deterministic for a seed", () => {
    const a = run(newDevice("x", 99), site001, monday, 60).map((r) => r.metrics);
    const b = run(newDevice("x", 99), site001, monday, 60).map((r) => r.metrics);
    expect(a).toEqual(b);
  });
});

describe("injected faults (ground truth)", () => {
  it("memory_leak: memory climbs, then the app crashes", () => {
    const dev = newDevice("leaky", 1);
    const fault = dev.injectFault("memory_leak", new Date(monday), { ratePerHour: 120 });
    const reports = run(dev, site001, monday, 60);
    const crash = reports.find((r) => r.outcome === "crash");
    expect(crash?.health.error).toMatch(/Out of memory/);
    expect(fault.failedAt?.getTime()).toBe(crash?.at.getTime());
    expect(fault.firstSymptomAt!.getTime()).toBeLessThan(fault.failedAt!.getTime());
    const before = reports.filter((r) => r.at < crash!.at).map((r) => r.metrics.memory_percent);
    expect(before[before.length - 1]! - before[0]!).toBeGreaterThan(30);
  });

  it("disk_filling: low-disk warnings, then disk full", () => {
    const dev = newDevice("disky", 2);
    const fault = dev.injectFault("disk_filling", new Date(monday), { ratePerHour: 40 });
    const reports = run(dev, site001, monday, 180);
    const firstWarning = reports.find(
      (r) => r.health.error === "Low disk space warning" && r.metrics.disk_percent < 98,
    );
    const full = reports.find((r) => r.outcome === "disk_full");
    expect(firstWarning).toBeDefined();
    expect(full).toBeDefined();
    expect(firstWarning!.at.getTime()).toBeLessThan(full!.at.getTime());
    expect(fault.failedAt?.getTime()).toBe(full!.at.getTime());
  });

  it("failing_gateway: error rate and latency climb until the gateway times out", () => {
    const dev = newDevice("gw", 3);
    const start = monday + 9 * 60 * MIN;
    const baseline = run(dev, site001, start - 60 * MIN, 60);
    const fault = dev.injectFault("failing_gateway", new Date(start), { rampMinutes: 10 });
    const after = run(dev, site001, start + 10 * MIN, 30);
    const avg = (rs: DeviceReport[], f: (r: DeviceReport) => number) => rs.reduce((s, r) => s + f(r), 0) / rs.length;
    expect(avg(after, (r) => r.metrics.error_rate)).toBeGreaterThan(avg(baseline, (r) => r.metrics.error_rate) + 15);
    expect(avg(after, (r) => r.metrics.network_latency_ms)).toBeGreaterThan(
      avg(baseline, (r) => r.metrics.network_latency_ms) + 300,
    );
    expect(after.filter((r) => r.outcome === "payment_gateway_timeout").length).toBeGreaterThan(after.length * 0.6);
    expect(fault.failedAt).toBeDefined();
  });

  it("bad_config: the next config update degrades the device; a rollback restores it", () => {
    const dev = newDevice("cfg", 4);
    const start = monday + 9 * 60 * MIN;
    const before = run(dev, site001, start, 30);
    const fault = dev.injectFault("bad_config", new Date(start + 30 * MIN));
    const apply = (version: string, at: number) => {
      let plan = dev.planCommand(
        { commandId: `c-${version}-${at}`, commandType: "update_config", payload: { config_version: version } },
        new Date(at),
      );
      // Ignore the rare random download failure: retry like an orchestrator would.
      for (let i = 0; plan.outcome === "no_answer" || plan.outcome.status !== "succeeded"; i++) {
        plan = dev.planCommand(
          { commandId: `c-${version}-${at}-${i}`, commandType: "UPDATE_CONFIG", payload: { config_version: version } },
          new Date(at),
        );
      }
      dev.applyCommand(plan, new Date(at + plan.durationMs));
      return plan;
    };
    apply("2.6.0", start + 30 * MIN);
    expect(dev.configVersion).toBe("2.6.0");
    expect(fault.badVersion).toBe("2.6.0");
    const degraded = run(dev, site001, start + 31 * MIN, 30);
    const avgLatency = (rs: DeviceReport[]) =>
      [...rs.map((r) => r.metrics.network_latency_ms)].sort((a, b) => a - b)[Math.floor(rs.length / 2)]!;
    expect(degraded.every((r) => r.outcome !== "healthy")).toBe(true);
    expect(avgLatency(degraded)).toBeGreaterThan(2 * avgLatency(before));
    apply("1.0.0", start + 62 * MIN);
    expect(fault.clearedAt).toBeDefined();
    expect(dev.isDegraded).toBe(false);
  });

  it("network_loss: silent for the window, then reports again", () => {
    const dev = newDevice("net", 5);
    const fault = dev.injectFault("network_loss", new Date(monday), { durationMs: 10 * MIN });
    const reports = run(dev, site001, monday, 20);
    expect(reports.length).toBe(20); // 40 slots, the first 20 silent
    expect(reports[0]!.at.getTime()).toBe(monday + 10 * MIN);
    expect(fault.failedAt?.getTime()).toBe(monday);
    expect(fault.clearedAt?.getTime()).toBe(monday + 10 * MIN);
  });

  it("network_flapping: off the network 2 minutes in every 6 for the window, then steady", () => {
    const dev = newDevice("flap", 6);
    const fault = dev.injectFault("network_flapping", new Date(monday), { durationMs: 30 * MIN });
    const reports = run(dev, alwaysOpen, monday, 60, 1);
    // 60 one-minute slots: in the first 30, 2 of every 6 are silent (10 in all).
    expect(reports).toHaveLength(50);
    expect(reports[0]!.at.getTime()).toBe(monday + 2 * MIN);
    expect(fault.failedAt?.getTime()).toBe(monday);
    expect(fault.clearedAt?.getTime()).toBe(monday + 30 * MIN);
  });

  it("cpu_runaway: CPU climbs until it saturates and the POS app stops keeping up", () => {
    const dev = newDevice("hot", 7);
    const fault = dev.injectFault("cpu_runaway", new Date(monday), { ratePerHour: 120 });
    const reports = run(dev, alwaysOpen, monday, 90);
    const stuck = reports.find((r) => r.health.error === "CPU saturated: pos_app not responding");
    expect(stuck?.health.status).toBe("unhealthy");
    expect(fault.failedAt?.getTime()).toBe(stuck?.at.getTime());
    expect(fault.firstSymptomAt!.getTime()).toBeLessThan(fault.failedAt!.getTime());
    expect(reports[0]!.metrics.cpu_percent).toBeLessThan(85);
  });

  it("slow_gateway: latency climbs over the ramp, then payments time out", () => {
    const dev = newDevice("slow", 8);
    const fault = dev.injectFault("slow_gateway", new Date(monday), { rampMinutes: 60 });
    const reports = run(dev, alwaysOpen, monday, 90);
    const timeout = reports.find((r) => r.at.getTime() === fault.failedAt?.getTime());
    expect(timeout?.health.error).toBe("Payment gateway timeout");
    expect(fault.failedAt!.getTime()).toBeGreaterThanOrEqual(monday + 48 * MIN);
    expect(fault.firstSymptomAt!.getTime()).toBeLessThan(monday + 15 * MIN);
    const early = reports.filter((r) => r.at.getTime() < monday + 5 * MIN).map((r) => r.metrics.network_latency_ms);
    const late = reports.filter((r) => r.at.getTime() > monday + 40 * MIN && r.at < timeout!.at);
    expect(Math.min(...late.map((r) => r.metrics.network_latency_ms))).toBeGreaterThan(Math.max(...early));
  });
});

describe("commands", () => {
  it("executes with realistic durations and a small failure rate", () => {
    const durations: Record<string, number[]> = {};
    let failed = 0;
    let total = 0;
    for (let i = 0; i < 400; i++) {
      const dev = newDevice(`c${i}`, i);
      for (const type of [
        "PING",
        "RUN_HEALTH_CHECK",
        "RESTART",
        "RESTART_AGENT",
        "REBOOT",
        "UPDATE_CONFIG",
        "UPDATE_FIRMWARE",
      ]) {
        const plan = dev.planCommand(
          { commandId: `${i}-${type}`, commandType: type, payload: { config_version: "3.0.0" } },
          new Date(monday),
        );
        durations[type] ??= [];
        durations[type].push(plan.durationMs);
        total += 1;
        if (plan.outcome === "no_answer" || plan.outcome.status === "failed") failed += 1;
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(durations.PING!)).toBeLessThan(500);
    expect(median(durations.RESTART!)).toBeGreaterThan(3000);
    expect(median(durations.REBOOT!)).toBeGreaterThan(30_000);
    expect(median(durations.UPDATE_CONFIG!)).toBeGreaterThan(5000);
    expect(median(durations.UPDATE_FIRMWARE!)).toBeGreaterThan(60_000);
    expect(failed / total).toBeGreaterThan(0.005);
    expect(failed / total).toBeLessThan(0.06);
  });

  it("update_config reports its steps and the new version", () => {
    const dev = newDevice("u", 11);
    let plan = dev.planCommand(
      {
        commandId: "1",
        commandType: "update_config",
        payload: { config_version: "2.6.0", config_url: "https://cfg/x" },
      },
      new Date(monday),
    );
    while (plan.outcome === "no_answer" || plan.outcome.status !== "succeeded")
      plan = dev.planCommand(
        { commandId: "1", commandType: "UPDATE_CONFIG", payload: { config_version: "2.6.0" } },
        new Date(monday),
      );
    expect(plan.outcome.result).toMatchObject({ config_version: "2.6.0", previous_version: "1.0.0" });
    const steps = (plan.outcome.result!.steps as { step: string }[]).map((s) => s.step);
    expect(steps).toEqual(["download", "validate", "apply", "restart", "health_check"]);
    dev.applyCommand(plan, new Date(monday + plan.durationMs));
    expect(dev.configVersion).toBe("2.6.0");
  });

  it("forced failures fail exactly the next N commands", () => {
    const dev = newDevice("f", 12);
    dev.forced = { remaining: 2, mode: "fail", message: "boom" };
    const outcomes = [1, 2, 3].map(
      (n) => dev.planCommand({ commandId: String(n), commandType: "PING", payload: null }, new Date(monday)).outcome,
    );
    expect(outcomes[0]).toMatchObject({ status: "failed", error_message: "boom" });
    expect(outcomes[1]).toMatchObject({ status: "failed", error_message: "boom" });
    expect(outcomes[2]).not.toBe("no_answer");
    dev.forced = { remaining: 1, mode: "timeout", message: "" };
    expect(dev.planCommand({ commandId: "4", commandType: "PING", payload: null }, new Date(monday)).outcome).toBe(
      "no_answer",
    );
  });

  it("update_firmware reboots onto the new firmware", () => {
    const dev = newDevice("fw", 13);
    let plan = dev.planCommand(
      { commandId: "1", commandType: "update_firmware", payload: { firmware_version: "3.0.0" } },
      new Date(monday),
    );
    while (plan.outcome === "no_answer" || plan.outcome.status !== "succeeded")
      plan = dev.planCommand(
        { commandId: "1", commandType: "UPDATE_FIRMWARE", payload: { firmware_version: "3.0.0" } },
        new Date(monday),
      );
    expect(plan.reboot).toBe(true);
    dev.beginCommand(plan, new Date(monday));
    expect(dev.isSilent(new Date(monday + 1000))).toBe(true);
    dev.applyCommand(plan, new Date(monday + plan.durationMs));
    expect(dev.firmware).toBe("3.0.0");
    const r = dev.report(new Date(monday + plan.durationMs), siteActivity(site001, new Date(monday + plan.durationMs)));
    expect(r?.health.device_info.firmware).toBe("3.0.0");
  });

  it("rejects an unknown command type", () => {
    const plan = newDevice("z", 1).planCommand(
      { commandId: "1", commandType: "SELF_DESTRUCT", payload: null },
      new Date(monday),
    );
    expect(plan.outcome).toMatchObject({ status: "failed", error_message: "Unsupported command type: SELF_DESTRUCT" });
  });
});
