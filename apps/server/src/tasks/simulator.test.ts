import { queueCommand } from "@homepot/core/commands/queue-command";
import { archiveDevice } from "@homepot/core/lifecycle/archive-device";
import { restoreDevice } from "@homepot/core/lifecycle/restore-device";
import { resumeDevice } from "@homepot/core/lifecycle/resume-device";
import { suspendDevice } from "@homepot/core/lifecycle/suspend-device";
import { unpairDevice } from "@homepot/core/lifecycle/unpair-device";
import { ManualClock } from "@homepot/core/simulator/scheduler";
import { startSimulatedFleet } from "@homepot/core/simulator/start-simulated-fleet";
import { deviceCommands, deviceMetrics, deviceStateHistory, devices, healthChecks } from "@homepot/db";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../testing.ts";

// Monday 5 January 2026, 12:30 UTC: the demo sites are open and at their lunch peak.
const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 30));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

const count = async (table: typeof healthChecks | typeof deviceMetrics | typeof deviceStateHistory) => {
  const [row] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return row?.n ?? 0;
};

describe("in-process simulator", () => {
  it("creates the demo fleet idempotently and reports through the real use cases on a manual clock", async () => {
    // The server's group-commit writer, as the simulator task passes it: the demo fleet's metrics take the ingest path.
    const writes = vi.spyOn(t.app.metricsWriter, "write");
    const sim = await startSimulatedFleet(
      { ...t.ctx, clock },
      { devices: 12, clock, seed: 1, metricsWriter: t.app.metricsWriter },
    );
    try {
      expect(sim.fleet.size).toBe(12);
      const simulated = await t.ctx.db.select().from(devices).where(eq(devices.isSimulated, true));
      expect(simulated).toHaveLength(12);
      expect(new Set(simulated.map((d) => d.siteId))).toEqual(new Set(["site-001", "site-002", "site-003"]));

      await sim.fleet.advance(3 * 60_000);
      const stats = sim.fleet.stats();
      expect(stats.reportsFailed).toBe(0);
      expect(stats.reportsSent).toBe(12 * 6);
      expect(await count(healthChecks)).toBe(12 * 6);

      // Every one of the ten metric columns is filled, plus extra_metrics.
      const [nulls] = await t.ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(deviceMetrics)
        .where(
          or(
            isNull(deviceMetrics.cpuPercent),
            isNull(deviceMetrics.memoryPercent),
            isNull(deviceMetrics.diskPercent),
            isNull(deviceMetrics.networkLatencyMs),
            isNull(deviceMetrics.transactionCount),
            isNull(deviceMetrics.transactionVolume),
            isNull(deviceMetrics.errorRate),
            isNull(deviceMetrics.activeConnections),
            isNull(deviceMetrics.queueDepth),
            isNull(deviceMetrics.extraMetrics),
          ),
        );
      expect(await count(deviceMetrics)).toBe(12 * 6); // once each: through ingest, not the health report too
      expect(writes).toHaveBeenCalledTimes(12 * 6);
      writes.mockRestore();
      expect(nulls?.n).toBe(0);
      // Timestamps come from the simulated clock; lunch peak at an open site sells something.
      const metrics = await t.ctx.db.select().from(deviceMetrics);
      for (const m of metrics) {
        expect(m.timestamp.getTime()).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 5, 12, 30));
        expect(m.timestamp.getTime()).toBeLessThanOrEqual(Date.UTC(2026, 0, 5, 12, 33));
      }
      expect(metrics.reduce((s, m) => s + (m.transactionCount ?? 0), 0)).toBeGreaterThan(0);
      expect(metrics[0]?.extraMetrics).toMatchObject({
        services: expect.any(Object),
        device_info: expect.any(Object),
        uptime_seconds: expect.any(Number),
      });
      // Each sample declares the fleet's 30 s interval, as the original agents do: its own column is filled.
      expect(new Set(metrics.map((m) => m.collectionIntervalS))).toEqual(new Set([30]));

      // Each device went offline → online (or error) once at least: state history with reason and actor.
      const history = await t.ctx.db.select().from(deviceStateHistory);
      expect(new Set(history.map((h) => h.deviceId)).size).toBe(12);
      expect(history.every((h) => h.reason && h.changedBy)).toBe(true);

      // Running it again creates nothing new.
      const again = await startSimulatedFleet({ ...t.ctx, clock }, { devices: 12, clock, seed: 1 });
      await again.stop();
      expect(await t.ctx.db.$count(devices)).toBe(12);
    } finally {
      await sim.stop();
    }
  });

  it("answers a PING queued by an operator through the API, and a config update with a restart", async () => {
    const sim = await startSimulatedFleet({ ...t.ctx, clock }, { devices: 12, clock, seed: 2 });
    try {
      const { headers } = await loginAs(t, "operator");
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/devices/pos-terminal-007/commands",
        headers,
        payload: { command_type: "ping" },
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      const commandId: string = body.data?.command_id ?? body.command_id;
      const config = await queueCommand(t.ctx, {
        deviceId: "pos-terminal-003",
        commandType: "UPDATE_CONFIG",
        payload: { config_url: "https://cfg.example.com/pos/2.6.0.json", config_version: "2.6.0" },
      });
      sim.fleet.forceCommandFailures("pos-terminal-011", 1, { message: "Config download failed (forced)" });
      const forced = await queueCommand(t.ctx, {
        deviceId: "pos-terminal-011",
        commandType: "UPDATE_CONFIG",
        payload: { config_url: "https://cfg.example.com/pos/2.6.0.json", config_version: "2.6.0" },
      });

      await sim.fleet.advance(60_000);
      const rows = await t.ctx.db.select().from(deviceCommands);
      const ping = rows.find((r) => r.commandId === commandId);
      expect(ping).toMatchObject({ status: "succeeded", deviceId: "pos-terminal-007" });
      expect(ping?.result).toMatchObject({ pong: true });
      expect(ping?.sentAt).not.toBeNull();
      const update = rows.find((r) => r.commandId === config.commandId);
      expect(update?.status).toMatch(/succeeded|failed/);
      if (update?.status === "succeeded") {
        expect(update.result).toMatchObject({ config_version: "2.6.0", previous_version: "1.0.0" });
        const [device] = await t.ctx.db.select().from(devices).where(eq(devices.deviceId, "pos-terminal-003"));
        expect(device?.configVersion).toBe("2.6.0"); // reported by the health check after the restart
      }
      expect(rows.find((r) => r.commandId === forced.commandId)).toMatchObject({
        status: "failed",
        errorMessage: "Config download failed (forced)",
      });
    } finally {
      await sim.stop();
    }
  });

  it("picks up commands queued while it was not listening", async () => {
    const early = await queueCommand(t.ctx, { deviceId: "pos-terminal-001", commandType: "RUN_HEALTH_CHECK" });
    const sim = await startSimulatedFleet({ ...t.ctx, clock }, { devices: 12, clock, seed: 3 });
    try {
      await sim.fleet.advance(30_000);
      const [row] = await t.ctx.db
        .select()
        .from(deviceCommands)
        .where(and(eq(deviceCommands.commandId, early.commandId)));
      expect(row?.status).toMatch(/succeeded|failed/);
      expect(row?.status === "failed" || (row?.result as { status?: string } | null)?.status !== undefined).toBe(true);
    } finally {
      await sim.stop();
    }
  });

  it("stops a device's reports when it is suspended, unpaired or archived, and resumes them when it is resumed", async () => {
    const sys = { ...t.ctx, clock };
    const reportsOf = async (deviceId: string) => {
      const [row] = await t.ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(deviceMetrics)
        .where(eq(deviceMetrics.deviceId, deviceId));
      return row?.n ?? 0;
    };
    // Suspended before the fleet starts: it is left out, and joins when resumed.
    await suspendDevice(sys, "pos-terminal-012", { reason: "away" });
    const sim = await startSimulatedFleet(sys, { devices: 12, clock, seed: 3 });
    try {
      expect(sim.fleet.has("pos-terminal-012")).toBe(false);
      await suspendDevice(sys, "pos-terminal-001", { reason: "refit" });
      await unpairDevice(sys, "pos-terminal-002", {});
      await archiveDevice(sys, "pos-terminal-003");
      const before = await Promise.all(["001", "002", "003", "004"].map((n) => reportsOf(`pos-terminal-${n}`)));
      await sim.fleet.advance(3 * 60_000);
      const after = await Promise.all(["001", "002", "003", "004"].map((n) => reportsOf(`pos-terminal-${n}`)));
      expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
      expect(after[3]).toBe((before[3] ?? 0) + 6);
      expect(sim.fleet.isPaused("pos-terminal-001")).toBe(true);

      await resumeDevice(sys, "pos-terminal-001", {});
      await restoreDevice(sys, "pos-terminal-003");
      expect(sim.fleet.isPaused("pos-terminal-003")).toBe(true); // restored, but suspended until resumed
      await resumeDevice(sys, "pos-terminal-003", {});
      await resumeDevice(sys, "pos-terminal-012", {});
      await vi.waitUntil(() => sim.fleet.has("pos-terminal-012"));
      const resumed = await Promise.all(["001", "003", "012"].map((n) => reportsOf(`pos-terminal-${n}`)));
      await sim.fleet.advance(3 * 60_000);
      const later = await Promise.all(["001", "003", "012"].map((n) => reportsOf(`pos-terminal-${n}`)));
      expect(later.map((n, i) => n - (resumed[i] ?? 0))).toEqual([6, 6, 6]);
      expect(await reportsOf("pos-terminal-002")).toBe(after[1]);
    } finally {
      await sim.stop();
    }
  });
});
