import { configurationHistory, type Db, jobs } from "@homepot/db";
import { and, eq, sql } from "drizzle-orm";

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

/** The config_url the device last applied (from its newest history row), or null. */
export async function findLastConfigUrl(db: Db, deviceId: string): Promise<string | null> {
  const [row] = await db
    .select({ url: sql<string | null>`(${configurationHistory.newValue})::jsonb ->> 'config_url'` })
    .from(configurationHistory)
    .where(and(eq(configurationHistory.entityType, "device"), eq(configurationHistory.entityId, deviceId)))
    .orderBy(sql`${configurationHistory.timestamp} desc`, sql`${configurationHistory.id} desc`)
    .limit(1);
  return row?.url ?? null;
}
