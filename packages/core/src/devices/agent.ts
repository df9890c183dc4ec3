import { healthChecks } from "@homepot/db";
import { desc, inArray } from "drizzle-orm";
import type { Context } from "../context.ts";
import type { DeviceRow } from "./device.repository.ts";

/** A device heard from within this is online (the original's heartbeat window). */
const ONLINE_WITHIN_MS = 120_000;

interface LatestCheck {
  isHealthy: boolean;
  responseData: unknown;
  timestamp: Date;
}

/** One device's agent as the original's `/agents` shows it: lifecycle, connectivity, health, last health check. */
export function presentAgent(d: DeviceRow, check: LatestCheck | undefined, now: Date) {
  const connectivity = !d.lastSeen
    ? ("unknown" as const)
    : now.getTime() - d.lastSeen.getTime() <= ONLINE_WITHIN_MS
      ? ("online" as const)
      : ("offline" as const);
  const health =
    d.status === "error" || d.status === "maintenance"
      ? d.status
      : check
        ? check.isHealthy
          ? "healthy"
          : "warning"
        : "unknown";
  const data = check?.responseData;
  return {
    device_id: d.deviceId,
    site_id: d.siteId,
    name: d.name,
    lifecycle_state: d.lifecycleState,
    connectivity_state: connectivity,
    health_state: health,
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
      isHealthy: healthChecks.isHealthy,
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
