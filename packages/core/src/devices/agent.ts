import { healthChecks } from "@homepot/db";
import { desc, inArray } from "drizzle-orm";
import type { Context } from "../context.ts";
import type { DeviceRow } from "./device.repository.ts";
import { connectivityOf } from "./present.ts";

interface LatestCheck {
  responseData: unknown;
  timestamp: Date;
}

/** One device's agent as the original's `/agents` shows it: lifecycle, connectivity, health, last health check. */
export function presentAgent(d: DeviceRow, check: LatestCheck | undefined, now: Date) {
  const connectivity = connectivityOf(d.lastSeen, now);
  const data = check?.responseData;
  return {
    device_id: d.deviceId,
    site_id: d.siteId,
    name: d.name,
    lifecycle_state: d.lifecycleState,
    connectivity_state: connectivity,
    health_state: d.healthState,
    status: d.status,
    config_version: d.configVersion ?? d.firmwareVersion ?? "unknown",
    agent_version: d.agentVersion,
    last_seen: d.lastSeen?.toISOString() ?? null,
    last_health_check: check
      ? {
          ...(data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {}),
          timestamp: check.timestamp.toISOString(),
        }
      : null,
    uptime: connectivity === "online" ? ("running" as const) : ("stopped" as const),
  };
}
export type Agent = ReturnType<typeof presentAgent>;

/** The newest health check of each device (one DISTINCT ON query over the device + time index). */
export async function latestChecks(ctx: Context, rows: DeviceRow[]): Promise<Map<number, LatestCheck>> {
  if (rows.length === 0) return new Map();
  const checks = await ctx.db
    .selectDistinctOn([healthChecks.deviceId], {
      deviceId: healthChecks.deviceId,
      responseData: healthChecks.responseData,
      timestamp: healthChecks.timestamp,
    })
    .from(healthChecks)
    .where(
      inArray(
        healthChecks.deviceId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(healthChecks.deviceId, desc(healthChecks.timestamp));
  return new Map(checks.map((c) => [c.deviceId, c]));
}
