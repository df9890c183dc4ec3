import { randomUUID } from "node:crypto";
import { auditLogs, deviceEpochs, devices, siteOperatingSchedules, sites } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ValidationError } from "../errors.ts";

/** The demo fleet of the original HOMEPOT (SPEC §7): three sites, POS terminals 001…012. */
export const demoSites = [
  {
    siteId: "site-001",
    name: "Main Store - Downtown",
    location: "Downtown",
    description: "Flagship store, busiest site",
    terminals: 5,
  },
  {
    siteId: "site-002",
    name: "West Branch",
    location: "West District",
    description: "Neighbourhood branch",
    terminals: 3,
  },
  {
    siteId: "site-003",
    name: "East Side Mall",
    location: "East Side Mall, level 1",
    description: "Shopping-mall outlet",
    terminals: 4,
  },
] as const;

type DemoSiteId = (typeof demoSites)[number]["siteId"];

export interface DemoScheduleDay {
  dayOfWeek: number; // 0 = Monday … 6 = Sunday (as the seeds)
  open: string | null;
  close: string | null;
  peakStart: string | null;
  peakEnd: string | null;
  volume: number;
  maintenance: boolean;
  notes: string;
  special?: Record<string, unknown>;
}

const day = (
  dayOfWeek: number,
  open: string | null,
  close: string | null,
  peakStart: string | null,
  peakEnd: string | null,
  volume: number,
  maintenance: boolean,
  notes: string,
  special?: Record<string, unknown>,
): DemoScheduleDay => ({
  dayOfWeek,
  open,
  close,
  peakStart,
  peakEnd,
  volume,
  maintenance,
  notes,
  ...(special ? { special } : {}),
});

/** A realistic week per demo site; site-001 is the original's (SPEC §7). */
export const demoSchedules: Record<DemoSiteId, DemoScheduleDay[]> = {
  "site-001": [
    day(0, "08:00", "22:00", "12:00", "14:00", 500, false, "Regular business day"),
    day(1, "08:00", "22:00", "12:00", "14:00", 450, false, "Regular business day"),
    day(2, "08:00", "22:00", "12:00", "14:00", 420, true, "Quiet mid-week: maintenance allowed after close", {
      maintenance_window: "22:00-06:00",
    }),
    day(3, "08:00", "23:00", "18:00", "21:00", 550, false, "Late opening, evening peak"),
    day(4, "08:00", "23:30", "17:00", "21:00", 700, false, "Busiest day - weekend shopping starts", {
      no_maintenance: true,
    }),
    day(5, "09:00", "23:00", "11:00", "17:00", 650, false, "Weekend: long peak", { no_maintenance: true }),
    day(6, "10:00", "18:00", "13:00", "15:00", 200, true, "Preferred maintenance window: 6am-9am", {
      maintenance_window: "06:00-09:00",
    }),
  ],
  "site-002": [
    day(0, "09:00", "21:00", "12:00", "14:00", 260, false, "Regular business day"),
    day(1, "09:00", "21:00", "12:00", "14:00", 240, true, "Quietest weekday: maintenance allowed before opening", {
      maintenance_window: "06:00-08:30",
    }),
    day(2, "09:00", "21:00", "12:00", "14:00", 250, false, "Regular business day"),
    day(3, "09:00", "21:00", "17:00", "19:00", 280, false, "After-work peak"),
    day(4, "09:00", "22:00", "17:00", "20:00", 380, false, "Busiest weekday", { no_maintenance: true }),
    day(5, "09:00", "20:00", "11:00", "15:00", 420, false, "Saturday market day", { no_maintenance: true }),
    day(6, null, null, null, null, 0, true, "Closed on Sundays: full maintenance day", {
      maintenance_window: "00:00-23:59",
    }),
  ],
  "site-003": [
    day(0, "10:00", "21:00", "12:30", "14:00", 380, true, "Mall opens late: maintenance before 09:00", {
      maintenance_window: "06:00-09:00",
    }),
    day(1, "10:00", "21:00", "12:30", "14:00", 360, false, "Regular business day"),
    day(2, "10:00", "21:00", "12:30", "14:00", 370, false, "Regular business day"),
    day(3, "10:00", "21:00", "17:00", "20:00", 420, false, "Late-night shopping"),
    day(4, "10:00", "22:00", "17:00", "21:00", 560, false, "Busy evening", { no_maintenance: true }),
    day(5, "10:00", "22:00", "12:00", "18:00", 720, false, "Busiest day of the mall", { no_maintenance: true }),
    day(6, "11:00", "19:00", "13:00", "16:00", 480, false, "Sunday family shopping"),
  ],
};

export interface SeedDemoOptions {
  /** How many POS terminals (default 12, the original fleet); beyond 12 they are spread over the three sites. */
  devices?: number;
}

export interface SeedDemoResult {
  sitesCreated: number;
  devicesCreated: number;
  schedulesCreated: number;
  /** Every demo device id, created now or before. */
  deviceIds: string[];
}

/** `pos-terminal-007`; three digits at least, as the original. */
export function demoDeviceId(n: number): string {
  return `pos-terminal-${String(n).padStart(3, "0")}`;
}

/** Which demo site terminal number `n` (1-based) belongs to: 1–5, 6–8, 9–12 as the original, then round robin. */
export function demoSiteOf(n: number): DemoSiteId {
  if (n <= 5) return "site-001";
  if (n <= 8) return "site-002";
  if (n <= 12) return "site-003";
  return demoSites[(n - 13) % demoSites.length]?.siteId ?? "site-001";
}

const BATCH = 1000;

/**
 * Creates the demo sites, their schedules and the simulated POS terminals, skipping whatever already
 * exists (idempotent). Every created row is audited. The simulator and `homepot seed` both call it.
 */
export async function seedDemoData(ctx: Context, options: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const count = options.devices ?? 12;
  if (!Number.isInteger(count) || count < 0 || count > 100_000)
    throw new ValidationError("devices must be an integer from 0 to 100000", "devices");
  const now = ctx.clock.now();

  return ctx.db.transaction(async (tx) => {
    let sitesCreated = 0;
    for (const s of demoSites) {
      const [row] = await tx
        .insert(sites)
        .values({
          siteId: s.siteId,
          name: s.name,
          description: s.description,
          location: s.location,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) continue;
      sitesCreated += 1;
      await recordAudit(
        ctx,
        {
          eventType: "site_created",
          description: `Demo site ${s.siteId} created`,
          siteId: row.id,
          newValues: { site_id: s.siteId, name: s.name, location: s.location },
          metadata: { source: "demo_seed" },
        },
        tx,
      );
    }

    let schedulesCreated = 0;
    for (const s of demoSites) {
      const rows = await tx
        .insert(siteOperatingSchedules)
        .values(
          demoSchedules[s.siteId].map((d) => ({
            siteId: s.siteId,
            dayOfWeek: d.dayOfWeek,
            openTime: d.open,
            closeTime: d.close,
            isClosed: d.open === null,
            isMaintenanceWindow: d.maintenance,
            expectedTransactionVolume: d.volume,
            peakHoursStart: d.peakStart,
            peakHoursEnd: d.peakEnd,
            notes: d.notes,
            specialConsiderations: d.special ?? null,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .onConflictDoNothing()
        .returning({ dayOfWeek: siteOperatingSchedules.dayOfWeek });
      if (rows.length === 0) continue;
      schedulesCreated += rows.length;
      await recordAudit(
        ctx,
        {
          eventType: "schedule_created",
          description: `Demo operating schedule of ${s.siteId} created (${rows.length} days)`,
          newValues: { site_id: s.siteId, days: rows.map((r) => r.dayOfWeek).sort() },
          metadata: { source: "demo_seed" },
        },
        tx,
      );
    }

    const deviceIds: string[] = [];
    let devicesCreated = 0;
    for (let start = 1; start <= count; start += BATCH) {
      const numbers = Array.from({ length: Math.min(BATCH, count - start + 1) }, (_, i) => start + i);
      const values = numbers.map((n) => {
        const siteId = demoSiteOf(n);
        const siteNo = Number(siteId.slice(-3));
        return {
          deviceId: demoDeviceId(n),
          name: `POS Terminal ${String(n).padStart(3, "0")}`,
          deviceType: "pos_terminal",
          status: "offline",
          siteId,
          ipAddress: `10.${siteNo}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`,
          config: { model: "POS-Terminal-X1", heartbeat_interval_s: 30, payment_gateway: "stripe-sandbox" },
          segment: "pos-terminals",
          isSimulated: true,
          configVersion: "1.0.0",
          firmwareVersion: "2.4.1",
          createdAt: now,
          updatedAt: now,
        };
      });
      deviceIds.push(...values.map((v) => v.deviceId));
      const created = await tx
        .insert(devices)
        .values(values)
        .onConflictDoNothing()
        .returning({ id: devices.id, deviceId: devices.deviceId, siteId: devices.siteId });
      devicesCreated += created.length;
      if (created.length === 0) continue;
      await tx.insert(deviceEpochs).values(
        created.map((d) => ({
          id: randomUUID(),
          deviceId: d.id,
          siteId: d.siteId,
          startedAt: now,
          reason: "demo seed",
        })),
      );
      // One audit row per device, written as one multi-row insert (the fleet may be large).
      const actorUserId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
      await tx.insert(auditLogs).values(
        created.map((d) => ({
          createdAt: now,
          eventType: "device_created",
          description: `Simulated device ${d.deviceId} registered at ${d.siteId}`,
          userId: actorUserId,
          deviceId: d.id,
          newValues: {
            device_id: d.deviceId,
            site_id: d.siteId,
            device_type: "pos_terminal",
            is_simulated: true,
            segment: "pos-terminals",
          },
          eventMetadata: { source: "demo_seed" },
        })),
      );
    }
    return { sitesCreated, devicesCreated, schedulesCreated, deviceIds };
  });
}
