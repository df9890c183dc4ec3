import { describe, expect, it } from "vitest";
import type { CommandRequest, CommandResult, DeviceReport } from "./device-model.ts";
import { Fleet, type FleetTransport } from "./fleet.ts";
import { ManualClock, TimerQueue } from "./scheduler.ts";

/** Records everything the fleet sends; commands are queued per device like the server would. */
class MemoryTransport implements FleetTransport {
  reports: DeviceReport[] = [];
  results: { deviceId: string; commandId: string; result: CommandResult; at: number }[] = [];
  pending = new Map<string, CommandRequest[]>();
  batches: number[] = [];
  constructor(
    readonly pollOnReport: boolean,
    private readonly clock: ManualClock,
  ) {}
  async sendReports(reports: DeviceReport[]) {
    this.batches.push(reports.length);
    this.reports.push(...reports);
    return 0;
  }
  async claimCommands(deviceId: string) {
    const list = this.pending.get(deviceId) ?? [];
    this.pending.delete(deviceId);
    return list;
  }
  async reportResult(deviceId: string, commandId: string, result: CommandResult) {
    this.results.push({ deviceId, commandId, result, at: this.clock.now().getTime() });
  }
  queue(deviceId: string, commandType: string, payload: Record<string, unknown> | null = null) {
    const commandId = `cmd-${deviceId}-${commandType}-${Math.random().toString(16).slice(2, 8)}`;
    this.pending.set(deviceId, [...(this.pending.get(deviceId) ?? []), { commandId, commandType, payload }]);
    return commandId;
  }
}

const specs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    deviceId: `pos-terminal-${String(i + 1).padStart(3, "0")}`,
    siteId: `site-00${(i % 3) + 1}`,
    siteDeviceCount: Math.ceil(n / 3),
  }));

describe("timer queue", () => {
  it("pops entries in due order, ties in insertion order", () => {
    const q = new TimerQueue<string>();
    for (const [due, v] of [
      [5, "e"],
      [1, "a"],
      [3, "c"],
      [1, "b"],
      [4, "d"],
    ] as const)
      q.push(due, v);
    const out: string[] = [];
    for (let p = q.popDue(4); p; p = q.popDue(4)) out.push(p.item);
    expect(out).toEqual(["a", "b", "c", "d"]);
    expect(q.peekDue()).toBe(5);
  });
});

describe("fleet on a manual clock", () => {
  it("reports every interval per device and batches what comes due together", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    const transport = new MemoryTransport(false, clock);
    const fleet = new Fleet({ devices: specs(12), transport, clock, seed: 1, intervalMs: 30_000 });
    await fleet.advance(5 * 60_000);
    const perDevice = new Map<string, number>();
    for (const r of transport.reports) perDevice.set(r.deviceId, (perDevice.get(r.deviceId) ?? 0) + 1);
    expect(perDevice.size).toBe(12);
    for (const n of perDevice.values()) expect(n).toBe(10);
    // Timestamps come from the manual clock, inside the simulated window.
    for (const r of transport.reports) expect(r.at.getTime()).toBeLessThanOrEqual(Date.UTC(2026, 0, 5, 12, 5));
    expect(fleet.stats().reportsSent).toBe(120);

    const big = new MemoryTransport(false, clock);
    const many = new Fleet({ devices: specs(3000), transport: big, clock, seed: 2, intervalMs: 30_000 });
    await many.advance(30_000);
    expect(big.reports.length).toBe(3000);
    expect(big.batches.length).toBeLessThan(100); // ~100 per 1-s window, not one call per report
  });

  it("executes a queued PING when notified and reports the result", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    const transport = new MemoryTransport(false, clock);
    const fleet = new Fleet({ devices: specs(3), transport, clock, seed: 3 });
    const id = transport.queue("pos-terminal-002", "ping");
    fleet.notifyCommand("pos-terminal-002");
    await fleet.advance(2000);
    expect(transport.results).toHaveLength(1);
    expect(transport.results[0]).toMatchObject({
      deviceId: "pos-terminal-002",
      commandId: id,
      result: { status: "succeeded", result: { pong: true } },
    });
  });

  it("polls for commands after each report when the transport asks for it", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    const transport = new MemoryTransport(true, clock);
    const fleet = new Fleet({ devices: specs(2), transport, clock, seed: 4 });
    const id = transport.queue("pos-terminal-001", "RESTART");
    await fleet.advance(60_000);
    const result = transport.results.find((r) => r.commandId === id);
    expect(result?.result.status).toMatch(/succeeded|failed/);
    // A restart ends with a fresh health report.
    expect(transport.reports.some((r) => r.deviceId === "pos-terminal-001" && r.at.getTime() === result!.at)).toBe(
      true,
    );
  });

  it("forced failures: 5 devices, 2 forced to fail a config update", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    const transport = new MemoryTransport(false, clock);
    const devices = specs(5);
    const fleet = new Fleet({ devices, transport, clock, seed: 5 });
    fleet.forceCommandFailures("pos-terminal-002", 1, { message: "Config download failed (forced)" });
    fleet.forceCommandFailures("pos-terminal-004", 1);
    const ids = devices.map((d) => transport.queue(d.deviceId, "UPDATE_CONFIG", { config_version: "2.6.0" }));
    for (const d of devices) fleet.notifyCommand(d.deviceId);
    await fleet.advance(60_000);
    const byId = new Map(transport.results.map((r) => [r.commandId, r]));
    expect(byId.get(ids[1]!)?.result).toMatchObject({
      status: "failed",
      error_message: "Config download failed (forced)",
    });
    expect(byId.get(ids[3]!)?.result.status).toBe("failed");
    expect(fleet.device("pos-terminal-002").configVersion).toBe("1.0.0");
    // A forced timeout never answers.
    fleet.forceCommandFailures("pos-terminal-001", 1, { mode: "timeout" });
    const silent = transport.queue("pos-terminal-001", "PING");
    fleet.notifyCommand("pos-terminal-001");
    await fleet.advance(60_000);
    expect(transport.results.find((r) => r.commandId === silent)).toBeUndefined();
    expect(fleet.stats().commandsUnanswered).toBe(1);
  });

  it("injected faults appear in the reports and in the ground truth", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    const transport = new MemoryTransport(false, clock);
    const fleet = new Fleet({ devices: specs(3), transport, clock, seed: 6 });
    fleet.injectFault("pos-terminal-003", "network_loss", { durationMs: 5 * 60_000 });
    fleet.injectFault("pos-terminal-001", "memory_leak", { ratePerHour: 200 });
    await fleet.advance(30 * 60_000);
    const truth = fleet.groundTruth();
    expect(truth.map((f) => [f.deviceId, f.kind])).toEqual([
      ["pos-terminal-003", "network_loss"],
      ["pos-terminal-001", "memory_leak"],
    ]);
    expect(truth[1]!.failedAt).toBeDefined();
    const silentWindow = transport.reports.filter(
      (r) => r.deviceId === "pos-terminal-003" && r.at.getTime() < Date.UTC(2026, 0, 5, 12, 5),
    );
    expect(silentWindow).toHaveLength(0);
    expect(transport.reports.some((r) => r.deviceId === "pos-terminal-001" && r.outcome === "crash")).toBe(true);
  });
});

describe("benign events", () => {
  const sum = (rs: DeviceReport[], key: string) => rs.reduce((n, r) => n + (r.health.metrics[key] ?? 0), 0);
  const metric = (r: DeviceReport, key: string) => r.health.metrics[key] as number;

  it("a rush multiplies a site's sales; a quiet site sells nothing; both are ground truth", async () => {
    // Monday 10:00 UTC: every default site is open (09–21), off-peak.
    const start = Date.UTC(2026, 0, 5, 10);
    const clock = new ManualClock(start);
    const transport = new MemoryTransport(false, clock);
    const fleet = new Fleet({ devices: specs(6), transport, clock, seed: 7 });
    await fleet.advance(60 * 60_000);
    fleet.startSiteEvent("site-001", "opening_rush", 60 * 60_000);
    fleet.startSiteEvent("site-002", "closing_quiet", 60 * 60_000);
    await fleet.advance(60 * 60_000);
    const of = (site: string, after: boolean) =>
      transport.reports.filter(
        (r) =>
          r.health.device_info &&
          specs(6).find((s) => s.deviceId === r.deviceId)?.siteId === site &&
          r.at.getTime() >= start + 3_600_000 === after,
      );
    // site-001 sells about RUSH_SALES× its previous hour; site-002 sold before and nothing since.
    expect(
      sum(of("site-001", true), "transaction_count") / sum(of("site-001", false), "transaction_count"),
    ).toBeGreaterThan(1.6);
    expect(sum(of("site-002", false), "transaction_count")).toBeGreaterThan(0);
    expect(sum(of("site-002", true), "transaction_count")).toBe(0);
    // Quiet is not silent: the devices go on reporting.
    expect(of("site-002", true).length).toBeGreaterThan(100);
    expect(fleet.benignEvents().map((e) => [e.kind, e.siteId, e.deviceId, e.until.getTime() - e.at.getTime()])).toEqual(
      [
        ["opening_rush", "site-001", null, 3_600_000],
        ["closing_quiet", "site-002", null, 3_600_000],
      ],
    );
    expect(fleet.groundTruth()).toEqual([]);
  });

  it("a planned reboot surges the CPU while services start; a new config slows the app for two minutes", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10));
    const transport = new MemoryTransport(false, clock);
    const fleet = new Fleet({ devices: specs(3), transport, clock, seed: 8, intervalMs: 15_000 });
    await fleet.advance(20 * 60_000);
    const before = (id: string) => transport.reports.filter((r) => r.deviceId === id);
    const baseCpu = before("pos-terminal-001").map((r) => metric(r, "cpu_percent"));
    const baseLatency = before("pos-terminal-002").map((r) => metric(r, "network_latency_ms"));
    const seen = transport.reports.length;
    transport.queue("pos-terminal-001", "REBOOT");
    fleet.noteBenignEvent("pos-terminal-001", "planned_restart", 5 * 60_000);
    fleet.notifyCommand("pos-terminal-001");
    transport.queue("pos-terminal-002", "UPDATE_CONFIG", { config_version: "1.1.0" });
    fleet.noteBenignEvent("pos-terminal-002", "config_blip", 2 * 60_000);
    fleet.notifyCommand("pos-terminal-002");
    await fleet.advance(10 * 60_000);
    const results = new Map(transport.results.map((r) => [r.deviceId, r.result.status]));
    expect(results.get("pos-terminal-001")).toBe("succeeded");
    expect(results.get("pos-terminal-002")).toBe("succeeded");
    const after = transport.reports.slice(seen);
    const rebooted = after.filter((r) => r.deviceId === "pos-terminal-001");
    const firstUp = rebooted[0] as DeviceReport;
    expect(metric(firstUp, "cpu_percent")).toBeGreaterThan(Math.max(...baseCpu) + 15);
    // The surge is gone a few minutes later.
    expect(metric(rebooted[rebooted.length - 1] as DeviceReport, "cpu_percent")).toBeLessThan(Math.max(...baseCpu) + 5);
    const applied = transport.results.find((r) => r.deviceId === "pos-terminal-002")?.at as number;
    const blip = after.filter(
      (r) => r.deviceId === "pos-terminal-002" && r.at.getTime() > applied && r.at.getTime() < applied + 2 * 60_000,
    );
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    expect(median(blip.map((r) => metric(r, "network_latency_ms")))).toBeGreaterThan(1.5 * median(baseLatency));
    expect(fleet.benignEvents().map((e) => [e.kind, e.deviceId])).toEqual([
      ["planned_restart", "pos-terminal-001"],
      ["config_blip", "pos-terminal-002"],
    ]);
  });
});
