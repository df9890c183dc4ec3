import { type Db, devices } from "@homepot/db";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { fleetHealth } from "../devices/fleet-health.ts";
import { HEARTBEAT_ONLINE_S } from "../devices/present.ts";

export interface DeviceCounts {
  /** Devices not deleted (every lifecycle state). */
  total: number;
  lifecycle: { pending: number; active: number; suspended: number; unpaired: number };
  /** Connectivity, health and status count only lifecycle-active devices: suspended and unpaired ones are not in service. */
  connectivity: { online: number; offline: number; unknown: number };
  health: { healthy: number; warning: number; error: number; maintenance: number; unknown: number };
  status: Record<string, number>;
  source: { real: number; simulated: number };
  enrolment: Record<string, number>;
  lastHeartbeatAt: Date | null;
}

/** online if an active device is in error → warning; else online if one heartbeated within 2 minutes; else offline. */
export type SiteStatus = "online" | "warning" | "offline";
export function siteStatusOf(c: DeviceCounts): SiteStatus {
  if (c.health.error > 0) return "warning";
  return c.connectivity.online > 0 ? "online" : "offline";
}

export function emptyCounts(): DeviceCounts {
  return {
    total: 0,
    lifecycle: { pending: 0, active: 0, suspended: 0, unpaired: 0 },
    connectivity: { online: 0, offline: 0, unknown: 0 },
    health: { healthy: 0, warning: 0, error: 0, maintenance: 0, unknown: 0 },
    status: { online: 0, offline: 0, error: 0, maintenance: 0 },
    source: { real: 0, simulated: 0 },
    enrolment: {},
    lastHeartbeatAt: null,
  };
}

const bump = (o: Record<string, number>, k: string, n: number) => {
  o[k] = (o[k] ?? 0) + n;
};

/**
 * Devices (of every site, or of one) counted in the database per site: lifecycle, connectivity from the last
 * heartbeat, health (`fleetHealth`, the device list's health filter), status, source and enrolment method. Every
 * live device counts, as the device list shows it: those of an archived site are suspended.
 */
export async function countDevicesBySite(
  db: Db,
  now: Date,
  siteId?: string,
  visible?: SQL,
): Promise<Map<string, DeviceCounts>> {
  const since = new Date(now.getTime() - HEARTBEAT_ONLINE_S * 1000).toISOString();
  const where: SQL[] = [eq(devices.isActive, true)];
  if (siteId) where.push(eq(devices.siteId, siteId));
  if (visible) where.push(visible);
  const rows = await db
    .select({
      siteId: devices.siteId,
      lifecycle: devices.lifecycleState,
      health: fleetHealth,
      status: devices.status,
      simulated: devices.isSimulated,
      enrolment: devices.enrolmentMethod,
      n: sql<number>`count(*)::int`,
      never: sql<number>`(count(*) filter (where ${devices.lastSeen} is null))::int`,
      recent: sql<number>`(count(*) filter (where ${devices.lastSeen} >= ${since}::timestamp))::int`,
      last: sql<string | Date | null>`max(${devices.lastSeen})`,
    })
    .from(devices)
    .where(and(...where))
    .groupBy(
      devices.siteId,
      devices.lifecycleState,
      fleetHealth,
      devices.status,
      devices.isSimulated,
      devices.enrolmentMethod,
    );
  const out = new Map<string, DeviceCounts>();
  for (const r of rows) {
    const c = out.get(r.siteId) ?? emptyCounts();
    out.set(r.siteId, c);
    addRow(c, r);
  }
  return out;
}

type Row = {
  lifecycle: string;
  health: string | null;
  status: string;
  simulated: boolean;
  enrolment: string;
  n: number;
  never: number;
  recent: number;
  last: string | Date | null;
};

function addRow(c: DeviceCounts, r: Row) {
  c.total += r.n;
  bump(c.lifecycle, r.lifecycle, r.n);
  bump(c.source, r.simulated ? "simulated" : "real", r.n);
  bump(c.enrolment, r.enrolment, r.n);
  const last =
    r.last === null ? null : r.last instanceof Date ? r.last : new Date(`${String(r.last).replace(" ", "T")}Z`);
  if (last && (!c.lastHeartbeatAt || last > c.lastHeartbeatAt)) c.lastHeartbeatAt = last;
  if (r.lifecycle !== "active") return;
  bump(c.status, r.status, r.n);
  c.connectivity.unknown += r.never;
  c.connectivity.online += r.recent;
  c.connectivity.offline += r.n - r.never - r.recent;
  if (r.health) bump(c.health, r.health, r.n); // unknown: active, never reported
}

/** The sum of several sites' counts (the fleet). */
export function sumCounts(all: Iterable<DeviceCounts>): DeviceCounts {
  const t = emptyCounts();
  for (const c of all) {
    t.total += c.total;
    for (const [group, from] of [
      [t.lifecycle, c.lifecycle],
      [t.connectivity, c.connectivity],
      [t.health, c.health],
      [t.status, c.status],
      [t.source, c.source],
      [t.enrolment, c.enrolment],
    ] as Array<[Record<string, number>, Record<string, number>]>)
      for (const [k, v] of Object.entries(from)) bump(group, k, v);
    if (c.lastHeartbeatAt && (!t.lastHeartbeatAt || c.lastHeartbeatAt > t.lastHeartbeatAt))
      t.lastHeartbeatAt = c.lastHeartbeatAt;
  }
  return t;
}
