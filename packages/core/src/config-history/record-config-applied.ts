import { configurationHistory, devices } from "@homepot/db";
import { eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { CommandState } from "../commands/command.repository.ts";
import type { Context } from "../context.ts";
import { findConfigChangeJob, findDeviceChangeByCommand, findLastAppliedConfig } from "./config-history.repository.ts";
import { capturePerformance } from "./performance.ts";

export interface ConfigHistoryOptions {
  /** How long a device runs the new config before performance_after is taken. */
  settleMs: number;
}

type ConfigRow = typeof configurationHistory.$inferSelect;

/** Keys that describe a config rather than belong to it: kept beside the config object, never inside it. */
const METADATA_KEYS = new Set(["config_version", "config_url"]);

function configObject(value: unknown): Record<string, unknown> | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !METADATA_KEYS.has(k)));
}

/**
 * A device applied a config (an UPDATE_CONFIG command succeeded): writes the configuration_history row
 * (old/new value, performance_before from the last health check before the command, when to measure
 * performance_after) and updates the device's config. Idempotent per command, so the command bus and
 * the watcher's catch-up may both call it.
 *
 * A new config replaces the old one, whether it came inline (`payload.config`, which wins when both are
 * given, as on the device) or as `payload.config_url`: the device runs exactly that document, nothing of
 * the previous config is kept. The server does not fetch URLs, so after a URL change `devices.config` is
 * null and the history row holds the URL; config_version and config_url are never written into a config.
 */
export async function recordConfigApplied(
  ctx: Context,
  command: CommandState,
  options: ConfigHistoryOptions,
): Promise<ConfigRow | null> {
  if (command.commandType.toUpperCase() !== "UPDATE_CONFIG" || command.status !== "succeeded") return null;
  const payload = (command.payload && typeof command.payload === "object" ? command.payload : {}) as Record<
    string,
    unknown
  >;
  const now = ctx.clock.now();
  const appliedAt = command.completedAt ?? now;
  const performanceBefore = await capturePerformance(ctx.db, command.deviceId, {
    at: "before",
    time: command.createdAt,
  });

  return ctx.db.transaction(async (tx) => {
    // Serialises the bus listener and the orchestrator on the same command.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`config-applied:${command.commandId}`}))`);
    if (await findDeviceChangeByCommand(tx, command.deviceId, command.commandId)) return null;
    const [device] = await tx
      .select()
      .from(devices)
      .where(eq(devices.deviceId, command.deviceId))
      .for("update")
      .limit(1);
    if (!device) return null;

    const job = command.jobId ? await findConfigChangeJob(tx, command.jobId) : undefined;
    const rollbackOf = typeof payload.rollback_of === "number" ? payload.rollback_of : null;
    const stored =
      device.config && typeof device.config === "object" && !Array.isArray(device.config)
        ? (device.config as Record<string, unknown>)
        : null;
    const oldConfig = configObject(stored);
    const last = await findLastAppliedConfig(tx, device.deviceId);
    // Health reports may already carry the new version; the last recorded change (or a version an older
    // release kept inside the config) and the last report before the command say what the device ran.
    const oldVersion =
      last?.configVersion ??
      (typeof stored?.config_version === "string" ? stored.config_version : null) ??
      performanceBefore?.config_version ??
      device.configVersion;
    const oldUrl = last ? last.configUrl : typeof stored?.config_url === "string" ? stored.config_url : null;
    const newVersion = typeof payload.config_version === "string" ? payload.config_version : oldVersion;
    const newConfig = configObject(payload.config);
    const newUrl = newConfig === null && typeof payload.config_url === "string" ? payload.config_url : null;

    const [row] = await tx
      .insert(configurationHistory)
      .values({
        timestamp: appliedAt,
        entityType: "device",
        entityId: device.deviceId,
        parameterName: "config_version",
        oldValue: { config_version: oldVersion, config_url: oldUrl, config: oldConfig },
        newValue: {
          config_version: newVersion,
          config_url: newUrl,
          config: newConfig,
          command_id: command.commandId,
          ...(rollbackOf ? { rollback_of: rollbackOf } : {}),
        },
        changedBy: job?.createdBy != null ? String(job.createdBy) : "system",
        changeReason: rollbackOf
          ? `Automatic rollback of change #${rollbackOf}${typeof payload.reason === "string" ? `: ${payload.reason}` : ""}`
          : (job?.description ?? job?.action ?? "Configuration update command"),
        changeType: rollbackOf ? "automated" : "manual",
        performanceBefore,
        jobId: command.jobId,
        evaluateAfter: new Date(appliedAt.getTime() + options.settleMs),
      })
      .returning();
    await tx
      .update(devices)
      .set({ config: newConfig, configVersion: newVersion, updatedAt: now })
      .where(eq(devices.id, device.id));
    await recordAudit(
      ctx,
      {
        eventType: rollbackOf ? "device_config_rolled_back" : "device_config_applied",
        description: `Device ${device.deviceId} applied config ${newVersion ?? "(unversioned)"}`,
        deviceId: device.id,
        jobId: job?.id ?? null,
        oldValues: { config_version: oldVersion },
        newValues: { config_version: newVersion, config_url: newUrl, command_id: command.commandId },
      },
      tx,
    );
    return row ?? null;
  });
}
