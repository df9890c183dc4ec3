import { devices } from "@homepot/db";
import { and, asc, inArray, lt, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { ErrorCodes, logError } from "../errors-log/log-error.ts";
import { setDeviceStatus } from "./set-device-status.ts";

/** "5 min", "90 s", "2 h": how long a silence was, for people. */
export function formatSilence(seconds: number): string {
  if (seconds >= 7200 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export interface GapResult {
  deviceId: string;
  previousStatus: string;
  lastSeen: Date | null;
}

/**
 * The collection-gap detector: every active device (not in maintenance, not already offline) with no
 * health report or metrics for `offlineAfterS` goes offline, with a state-history row ("No data for
 * 5 min") and a warning in error_logs (category external_service). It comes back online on its next
 * report (health or metrics). Safe to run on several instances at once (rows locked, SKIP LOCKED,
 * condition rechecked under the lock).
 */
export async function detectCollectionGaps(ctx: Context, offlineAfterS: number, batchSize = 500): Promise<GapResult[]> {
  const found: GapResult[] = [];
  const label = formatSilence(offlineAfterS);
  for (;;) {
    const now = ctx.clock.now();
    const cutoff = new Date(now.getTime() - offlineAfterS * 1000);
    const batch = await ctx.db.transaction(async (tx) => {
      const stale = await tx
        .select()
        .from(devices)
        .where(
          and(
            sql`${devices.isActive}`,
            inArray(devices.status, ["online", "error"]),
            lt(sql`coalesce(${devices.lastSeen}, ${devices.updatedAt})`, cutoff),
          ),
        )
        .orderBy(asc(devices.id))
        .limit(batchSize)
        .for("update", { skipLocked: true });
      const out: GapResult[] = [];
      for (const device of stale) {
        const silenceS = Math.round((now.getTime() - (device.lastSeen ?? device.updatedAt).getTime()) / 1000);
        await setDeviceStatus(ctx, tx, device, {
          status: "offline",
          reason: `No data for ${label}`,
          changedBy: "system",
          extraData: {
            source: "gap_detector",
            last_seen: device.lastSeen?.toISOString() ?? null,
            silence_s: silenceS,
            threshold_s: offlineAfterS,
          },
        });
        out.push({ deviceId: device.deviceId, previousStatus: device.status, lastSeen: device.lastSeen });
      }
      return out;
    });
    for (const gap of batch) {
      await logError(ctx, {
        category: "external_service",
        severity: "warning",
        errorCode: ErrorCodes.deviceOffline,
        message: `Device ${gap.deviceId} went offline: no data for ${label}`,
        deviceId: gap.deviceId,
        context: {
          previous_status: gap.previousStatus,
          last_seen: gap.lastSeen?.toISOString() ?? null,
          threshold_s: offlineAfterS,
        },
      });
    }
    found.push(...batch);
    if (batch.length < batchSize) return found;
  }
}
