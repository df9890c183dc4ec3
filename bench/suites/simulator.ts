import { systemContext } from "@homepot/core";
import { Fleet, type FleetTransport } from "@homepot/core/simulator/fleet";
import { ManualClock } from "@homepot/core/simulator/scheduler";
import { startSimulatedFleet } from "@homepot/core/simulator/start-simulated-fleet";
import { healthChecks, openDatabase } from "@homepot/db";
import type { BenchOptions } from "../lib/types.ts";

/**
 * The in-process fleet at scale: 10 000 simulated devices reporting every 30 s (≈333 health reports/s
 * through recordHealthCheck on PostgreSQL) for a bounded time. Headline: simulator_lag_p99_ms (how late
 * reports are stored after their due time, after a 10 s warm-up; goal < 1000). Also the CPU the models cost per report without a database.
 * HOMEPOT_BENCH_SIM_DEVICES / HOMEPOT_BENCH_SIM_DURATION_S override the size and the duration.
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const devices = Number(process.env.HOMEPOT_BENCH_SIM_DEVICES ?? (options.quick ? 2000 : 10_000));
  const durationS = Number(process.env.HOMEPOT_BENCH_SIM_DURATION_S ?? (options.quick ? 20 : 120));
  const model = await modelCost(devices);
  options.log(`models alone: ${model.usPerReport.toFixed(1)} µs CPU per report`);
  const live = await measureSimulator({
    databaseUrl: options.databaseUrl,
    devices,
    durationMs: durationS * 1000,
    intervalMs: 30_000,
    log: options.log,
  });
  return {
    simulator_lag_p99_ms: live.lagP99Ms,
    simulator_lag_p50_ms: live.lagP50Ms,
    simulator_lag_max_ms: live.lagMaxMs,
    simulator_devices: devices,
    simulator_duration_s: durationS,
    simulator_reports: live.reports,
    simulator_reports_failed: live.failed,
    simulator_reports_per_s: live.reportsPerS,
    simulator_expected_reports_per_s: Math.round((devices / 30) * 10) / 10,
    simulator_cpu_ms_per_report: live.cpuMsPerReport,
    simulator_model_cpu_us_per_report: Math.round(model.usPerReport * 10) / 10,
    rss_mb: live.rssMb,
  };
}

export interface SimulatorMeasurement {
  reports: number;
  failed: number;
  reportsPerS: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  cpuMsPerReport: number;
  rssMb: number;
}

/** Runs `devices` in-process simulated devices in real time against `databaseUrl` for `durationMs`. */
export async function measureSimulator(input: {
  databaseUrl: string;
  devices: number;
  durationMs: number;
  intervalMs: number;
  log(message: string): void;
}): Promise<SimulatorMeasurement> {
  const database = await openDatabase({ databaseUrl: input.databaseUrl, poolSize: 16 });
  try {
    const ctx = systemContext(database.db, "bench");
    const seeded = Date.now();
    const sim = await startSimulatedFleet(ctx, {
      devices: input.devices,
      intervalMs: input.intervalMs,
      concurrency: 14,
    });
    input.log(`${sim.fleet.size} devices ready in ${Math.round((Date.now() - seeded) / 1000)} s`);
    const cpu0 = process.cpuUsage();
    let rss = process.memoryUsage().rss;
    sim.fleet.start();
    const started = Date.now();
    let warm = false;
    while (Date.now() - started < input.durationMs) {
      await new Promise((r) => setTimeout(r, 5000));
      // The first seconds include JIT and pool warm-up: lag is measured after them.
      if (!warm && Date.now() - started >= 10_000) {
        sim.fleet.resetLag();
        warm = true;
      }
      rss = Math.max(rss, process.memoryUsage().rss);
      const s = sim.fleet.stats();
      input.log(
        `${Math.round((Date.now() - started) / 1000)} s: ${s.reportsSent} reports (${s.reportsFailed} failed), lag p99 ${Math.round(s.lagP99Ms)} ms`,
      );
    }
    await sim.stop();
    const elapsedS = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const stats = sim.fleet.stats();
    const stored = await database.db.$count(healthChecks);
    if (stored < stats.reportsSent)
      throw new Error(`reports lost: ${stored} health checks stored < ${stats.reportsSent} sent`);
    return {
      reports: stats.reportsSent,
      failed: stats.reportsFailed,
      reportsPerS: Math.round((stats.reportsSent / elapsedS) * 10) / 10,
      lagP50Ms: Math.round(stats.lagP50Ms),
      lagP99Ms: Math.round(stats.lagP99Ms),
      lagMaxMs: Math.round(stats.lagMaxMs),
      cpuMsPerReport:
        stats.reportsSent > 0 ? Math.round(((cpu.user + cpu.system) / 1000 / stats.reportsSent) * 100) / 100 : 0,
      rssMb: Math.round(rss / 2 ** 20),
    };
  } finally {
    await database.close();
  }
}

/** CPU per report of the models and the scheduler alone (a transport that drops everything, simulated time). */
async function modelCost(devices: number): Promise<{ usPerReport: number }> {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
  const drop: FleetTransport = {
    pollOnReport: false,
    sendReports: async () => 0,
    claimCommands: async () => [],
    reportResult: async () => {},
  };
  const specs = Array.from({ length: devices }, (_, i) => ({
    deviceId: `d${i}`,
    siteId: `s${i % 3}`,
    siteDeviceCount: Math.ceil(devices / 3),
  }));
  const fleet = new Fleet({ devices: specs, transport: drop, clock, seed: 1 });
  const cpu0 = process.cpuUsage();
  await fleet.advance(5 * 60_000);
  const cpu = process.cpuUsage(cpu0);
  return { usPerReport: (cpu.user + cpu.system) / Math.max(1, fleet.stats().reportsSent) };
}
