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
