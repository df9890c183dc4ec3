import { configurationHistory, type Db, jobs } from "@homepot/db";
import { and, asc, desc, eq, sql } from "drizzle-orm";

export type ConfigHistoryRow = typeof configurationHistory.$inferSelect;

/** What a config change needs to know of the job that made it (read here so config-history never imports jobs/). */
export interface ConfigChangeJob {
  id: number;
  createdBy: number | null;
  description: string | null;
  action: string;
  rollbackOnDegradation: boolean;
}

export async function findConfigChangeJob(db: Db, jobId: string): Promise<ConfigChangeJob | undefined> {
  const [row] = await db
    .select({
      id: jobs.id,
      createdBy: jobs.createdBy,
      description: jobs.description,
      action: jobs.action,
      rollout: jobs.rollout,
    })
    .from(jobs)
    .where(eq(jobs.jobId, jobId))
    .limit(1);
  if (!row) return undefined;
  const rollout = row.rollout && typeof row.rollout === "object" ? (row.rollout as Record<string, unknown>) : {};
  const { rollout: _, ...job } = row;
  return { ...job, rollbackOnDegradation: rollout.rollback_on_degradation === true };
}

/** The device's history row written for this command, if any (config-applied is idempotent per command). */
export async function findDeviceChangeByCommand(
  db: Db,
  deviceId: string,
  commandId: string,
): Promise<{ id: number } | undefined> {
  const [row] = await db
    .select({ id: configurationHistory.id })
    .from(configurationHistory)
    .where(
      and(
        eq(configurationHistory.entityType, "device"),
        eq(configurationHistory.entityId, deviceId),
        sql`(${configurationHistory.newValue})::jsonb ->> 'command_id' = ${commandId}`,
      ),
    )
    .limit(1);
  return row;
}

/** What the device last applied, from its newest history row (null when it has none). */
export async function findLastAppliedConfig(
  db: Db,
  deviceId: string,
): Promise<{ configVersion: string | null; configUrl: string | null } | null> {
  const [row] = await db
    .select({ newValue: configurationHistory.newValue })
    .from(configurationHistory)
    .where(and(eq(configurationHistory.entityType, "device"), eq(configurationHistory.entityId, deviceId)))
    .orderBy(desc(configurationHistory.timestamp), desc(configurationHistory.id))
    .limit(1);
  if (!row) return null;
  const v = (row.newValue && typeof row.newValue === "object" ? row.newValue : {}) as Record<string, unknown>;
  return {
    configVersion: typeof v.config_version === "string" ? v.config_version : null,
    configUrl: typeof v.config_url === "string" ? v.config_url : null,
  };
}

/** Where the closed-loop check of one device's change stands. */
export type ConfigCheck = "waiting" | "successful" | "unsuccessful" | "rolled_back";

/** The closed-loop check of each device a job changed (its device rows; rollbacks themselves left out). */
export async function listJobConfigChecks(db: Db, jobId: string): Promise<Map<string, ConfigCheck>> {
  const rows = await db
    .select({
      deviceId: configurationHistory.entityId,
      wasSuccessful: configurationHistory.wasSuccessful,
      wasRolledBack: configurationHistory.wasRolledBack,
      rollbackOf: sql<string | null>`(${configurationHistory.newValue})::jsonb ->> 'rollback_of'`,
    })
    .from(configurationHistory)
    .where(and(eq(configurationHistory.jobId, jobId), eq(configurationHistory.entityType, "device")))
    .orderBy(asc(configurationHistory.timestamp), asc(configurationHistory.id));
  const out = new Map<string, ConfigCheck>();
  for (const r of rows) {
    if (r.rollbackOf !== null) continue;
    out.set(
      r.deviceId,
      r.wasRolledBack
        ? "rolled_back"
        : r.wasSuccessful === null
          ? "waiting"
          : r.wasSuccessful
            ? "successful"
            : "unsuccessful",
    );
  }
  return out;
}
