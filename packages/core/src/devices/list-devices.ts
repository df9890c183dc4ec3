import { SIMULATION_FINISHED_TAG } from "@homepot/contracts/devices";
import { devices, sites } from "@homepot/db";
import { and, arrayContains, asc, eq, ilike, inArray, isNull, lt, not, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { inScope } from "../tenants/authorize.ts";
import type { DeviceRow } from "./device.repository.ts";
import { type FleetHealth, fleetHealthIs } from "./fleet-health.ts";
import { type Connectivity, HEARTBEAT_ONLINE_S } from "./present.ts";

export interface ListDevicesInput {
  limit: number;
  offset: number;
  siteId?: string | undefined;
  /** Only these devices. */
  deviceId?: string[] | undefined;
  status?: string | undefined;
  /** Status error, offline or maintenance, except simulated devices parked after their run (what needs a look). */
  attention?: boolean | undefined;
  deviceType?: string | undefined;
  segment?: string | undefined;
  isSimulated?: boolean | undefined;
  lifecycleState?: DeviceRow["lifecycleState"] | undefined;
  /** Health as the fleet counts it (`fleetHealth`: active devices that reported; `unknown` before the first report). */
  healthState?: FleetHealth | undefined;
  /** From the last heartbeat, as devices are presented (`connectivityOf`). */
  connectivityState?: Connectivity | undefined;
  includeInactive?: boolean | undefined;
  /** Only archived (soft-deleted) devices. */
  archived?: boolean | undefined;
  search?: string | undefined;
  softwareVersion?: string | undefined;
  firmwareVersion?: string | undefined;
  /** Devices carrying every one of these tags. */
  tags?: string[] | undefined;
}

/** Devices ordered by device id, with their site's name. */
export async function listDevices(
  ctx: Context,
  input: ListDevicesInput,
): Promise<{ total: number; devices: Array<{ device: DeviceRow; siteName: string | null }> }> {
  const filters: SQL[] = [];
  if (input.archived) filters.push(eq(devices.isActive, false));
  else if (!input.includeInactive) filters.push(eq(devices.isActive, true));
  if (input.siteId) filters.push(eq(devices.siteId, input.siteId));
  if (input.deviceId) filters.push(input.deviceId.length ? inArray(devices.deviceId, input.deviceId) : sql`false`);
  if (input.status) filters.push(eq(devices.status, input.status));
  if (input.attention) filters.push(needsAttention());
  if (input.deviceType) filters.push(eq(devices.deviceType, input.deviceType));
  if (input.segment) filters.push(eq(devices.segment, input.segment));
  if (input.isSimulated !== undefined) filters.push(eq(devices.isSimulated, input.isSimulated));
  if (input.lifecycleState) filters.push(eq(devices.lifecycleState, input.lifecycleState));
  if (input.healthState) filters.push(fleetHealthIs(input.healthState));
  if (input.connectivityState) filters.push(connectivityIs(input.connectivityState, ctx.clock.now()));
  if (input.softwareVersion) filters.push(eq(devices.softwareVersion, input.softwareVersion));
  if (input.firmwareVersion) filters.push(eq(devices.firmwareVersion, input.firmwareVersion));
  if (input.tags?.length) filters.push(arrayContains(devices.tags, input.tags));
  if (input.search) {
    const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const match = or(ilike(devices.deviceId, pattern), ilike(devices.name, pattern));
    if (match) filters.push(match);
  }
  const visible = inScope(ctx, { site: devices.siteId }, "inventory");
  if (visible) filters.push(visible);
  const where = filters.length ? and(...filters) : undefined;
  const [rows, [totalRow]] = await Promise.all([
    ctx.db
      .select({ device: devices, siteName: sites.name })
      .from(devices)
      .leftJoin(sites, eq(sites.siteId, devices.siteId))
      .where(where)
      .orderBy(asc(devices.deviceId))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db.select({ n: sql<number>`count(*)::int` }).from(devices).where(where),
  ]);
  return { total: totalRow?.n ?? 0, devices: rows.map((r) => ({ device: r.device, siteName: r.siteName ?? null })) };
}

/** Status error, offline or maintenance; a simulated device whose run ended is parked in maintenance on purpose. */
function needsAttention(): SQL {
  const parked = and(eq(devices.isSimulated, true), arrayContains(devices.tags, [SIMULATION_FINISHED_TAG]));
  return and(inArray(devices.status, ["error", "offline", "maintenance"]), not(parked as SQL)) as SQL;
}

/** Devices whose connectivity is `state` at `now`: online within HEARTBEAT_ONLINE_S of their last heartbeat. */
function connectivityIs(state: Connectivity, now: Date): SQL {
  if (state === "unknown") return isNull(devices.lastSeen);
  const since = new Date(now.getTime() - HEARTBEAT_ONLINE_S * 1000);
  return state === "online"
    ? sql`${devices.lastSeen} >= ${since.toISOString()}::timestamp`
    : lt(devices.lastSeen, since);
}
