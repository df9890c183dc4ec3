import { devices, siteOperatingSchedules, sites } from "@homepot/db";
import { and, eq, inArray } from "drizzle-orm";
import { commandBus } from "../commands/command-bus.ts";
import type { Clock, Context } from "../context.ts";
import { seedDemoData } from "../demo/seed-demo-data.ts";
import { lifecycleBus } from "../devices/lifecycle-bus.ts";
import type { ReleaseStore } from "../releases/release-store.ts";
import { MetricsWriter } from "../telemetry/metrics-writer.ts";
import type { DeviceSpec } from "./device-model.ts";
import { Fleet } from "./fleet.ts";
import { InProcessTransport } from "./in-process-transport.ts";
import type { ScheduleDay, SiteProfile } from "./site-activity.ts";

export interface SimulatedFleetOptions {
  /** How many demo POS terminals to run (default 12: pos-terminal-001…012 over site-001…003). */
  devices?: number;
  /** Health report interval (default 30 s). */
  intervalMs?: number;
  seed?: number | string;
  /** Defaults to ctx.clock; a ManualClock makes the fleet drivable with `advance`. */
  clock?: Clock;
  /** Health reports written in parallel at most (default 8; keep below the database pool size). */
  concurrency?: number;
  /**
   * The telemetry group-commit writer the samples go through (the server's, so the demo fleet shares the
   * devices' ingest path). Without one the fleet makes its own, closed by `stop`.
   */
  metricsWriter?: MetricsWriter;
  /** The server's release repository: simulated devices download and install the releases their jobs deliver. */
  releases?: () => ReleaseStore;
  /** Share (0–1) of each simulated device's release installs whose install hook fails (default 0.02). */
  releaseFailureRate?: number;
}

export interface SimulatedFleet {
  fleet: Fleet;
  /** Re-reads the sites' operating schedules (after they were edited). */
  reloadSchedules(): Promise<void>;
  /** Stops the timer and unsubscribes from the command bus. */
  stop(): Promise<void>;
}

const CHUNK = 1000;

/**
 * The in-process fleet: makes sure the demo sites, schedules and simulated devices exist (idempotent),
 * then builds a Fleet that reports through the real use cases and answers commands queued for its
 * devices. It is not started: call `fleet.start()` for real time, or drive it with a ManualClock.
 */
export async function startSimulatedFleet(ctx: Context, options: SimulatedFleetOptions = {}): Promise<SimulatedFleet> {
  const clock = options.clock ?? ctx.clock;
  const fleetCtx: Context = { ...ctx, clock, actor: { kind: "system", name: "simulator" } };
  const seeded = await seedDemoData(fleetCtx, { devices: options.devices ?? 12 });

  // Only devices that are simulated and active: a real device that happens to carry a demo id is left alone.
  const rows: {
    deviceId: string;
    siteId: string;
    configVersion: string | null;
    firmwareVersion: string | null;
    softwareVersion: string | null;
  }[] = [];
  for (let i = 0; i < seeded.deviceIds.length; i += CHUNK) {
    const ids = seeded.deviceIds.slice(i, i + CHUNK);
    rows.push(
      ...(await ctx.db
        .select({
          deviceId: devices.deviceId,
          siteId: devices.siteId,
          configVersion: devices.configVersion,
          firmwareVersion: devices.firmwareVersion,
          softwareVersion: devices.softwareVersion,
        })
        .from(devices)
        .where(
          and(
            inArray(devices.deviceId, ids),
            eq(devices.isSimulated, true),
            eq(devices.isActive, true),
            // Suspended or unpaired simulated devices stay silent, as a real one would be refused.
            eq(devices.lifecycleState, "active"),
          ),
        )),
    );
  }
  const perSite = new Map<string, number>();
  for (const r of rows) perSite.set(r.siteId, (perSite.get(r.siteId) ?? 0) + 1);
  // A device row as the fleet runs it, with its site's device count as known at the time.
  const specOf = (r: (typeof rows)[number]): DeviceSpec => ({
    deviceId: r.deviceId,
    siteId: r.siteId,
    siteDeviceCount: perSite.get(r.siteId) ?? 1,
    configVersion: r.configVersion ?? undefined,
    firmware: r.firmwareVersion ?? undefined,
    software: r.softwareVersion ?? undefined,
    releaseFailureRate: options.releaseFailureRate,
  });
  const specs = rows.map(specOf);

  const ownWriter = options.metricsWriter ? undefined : new MetricsWriter(ctx.db, ctx.logger, { maxInFlight: 1 });
  const writer = options.metricsWriter ?? (ownWriter as MetricsWriter);
  const transport = new InProcessTransport(fleetCtx, writer, {
    concurrency: options.concurrency,
    releases: options.releases,
  });
  const fleet = new Fleet({
    devices: specs,
    sites: await loadSiteProfiles(ctx, [...perSite.keys()]),
    transport,
    clock,
    seed: options.seed ?? "homepot",
    intervalMs: options.intervalMs,
    logger: ctx.logger,
  });
  const unsubscribe = commandBus.on("queued", (event) => {
    if (fleet.has(event.deviceId)) fleet.notifyCommand(event.deviceId);
  });
  // A demo device that is suspended, unpaired, archived or purged stops reporting at once, as a real one would be
  // refused; resumed (or restored and resumed), it reports again. One that was not running at start joins then.
  const demo = new Set(seeded.deviceIds);
  const stopFollowing = lifecycleBus.on("changed", async (e) => {
    if (!demo.has(e.deviceId)) return;
    const running = e.isActive && !e.purged && e.lifecycleState === "active";
    if (!running) return fleet.pause(e.deviceId);
    if (fleet.has(e.deviceId)) return fleet.unpause(e.deviceId);
    const [row] = await ctx.db.select().from(devices).where(eq(devices.deviceId, e.deviceId)).limit(1);
    if (!row?.isSimulated || !row.isActive || row.lifecycleState !== "active") return;
    for (const profile of await loadSiteProfiles(ctx, [row.siteId])) fleet.setSiteProfile(profile);
    perSite.set(row.siteId, (perSite.get(row.siteId) ?? 0) + 1);
    fleet.addDevice(specOf(row));
  });
  return {
    fleet,
    async reloadSchedules() {
      for (const profile of await loadSiteProfiles(ctx, [...perSite.keys()])) fleet.setSiteProfile(profile);
    },
    async stop() {
      unsubscribe();
      stopFollowing();
      await fleet.stop();
      await ownWriter?.close();
    },
  };
}

/** The sites' operating weeks (site_operating_schedules) and time zones, as the models need them. */
export async function loadSiteProfiles(ctx: Context, siteIds: string[]): Promise<SiteProfile[]> {
  if (siteIds.length === 0) return [];
  const siteRows = await ctx.db
    .select({ siteId: sites.siteId, timezone: sites.timezone })
    .from(sites)
    .where(inArray(sites.siteId, siteIds));
  const scheduleRows = await ctx.db
    .select()
    .from(siteOperatingSchedules)
    .where(inArray(siteOperatingSchedules.siteId, siteIds));
  return siteRows
    .map((s) => ({
      siteId: s.siteId,
      timezone: s.timezone || "UTC",
      days: scheduleRows
        .filter((d) => d.siteId === s.siteId)
        .map(
          (d): ScheduleDay => ({
            dayOfWeek: d.dayOfWeek,
            openTime: d.openTime,
            closeTime: d.closeTime,
            isClosed: d.isClosed,
            isMaintenanceWindow: d.isMaintenanceWindow,
            expectedTransactionVolume: d.expectedTransactionVolume,
            peakHoursStart: d.peakHoursStart,
            peakHoursEnd: d.peakHoursEnd,
          }),
        ),
    }))
    .filter((p) => p.days.length > 0);
}
