import type { Context } from "../context.ts";
import {
  DAY_MS,
  daysInDefaultPartition,
  ensureDayPartition,
  PARTITIONED_TABLES,
  startOfDay,
} from "./partitions.repository.ts";

export interface PartitionPlan {
  retentionDays: number;
  /** Days after today that get their partition now, so midnight never sends rows to the default partition. */
  aheadDays?: number;
}

/**
 * Creates the day partitions of the time-series tables from today to `aheadDays` ahead, and for every day still
 * inside the retention period whose rows wait in the default partition (moving them out), so the default partition
 * drains. Days outside that window are never created: a device's clock in 2031 does not make a partition.
 * Returns how many partitions were created per table.
 */
export async function createHistoryPartitions(ctx: Context, plan: PartitionPlan): Promise<Record<string, number>> {
  const today = startOfDay(ctx.clock.now());
  const first = new Date(today.getTime() - plan.retentionDays * DAY_MS);
  const last = new Date(today.getTime() + (plan.aheadDays ?? 3) * DAY_MS);
  const created: Record<string, number> = {};
  for (const table of PARTITIONED_TABLES) {
    const days = new Set<number>();
    for (let at = today.getTime(); at <= last.getTime(); at += DAY_MS) days.add(at);
    for (const day of await daysInDefaultPartition(ctx.db, table, first))
      if (day.getTime() <= last.getTime()) days.add(day.getTime());
    let n = 0;
    for (const at of [...days].sort((a, b) => a - b)) if (await ensureDayPartition(ctx.db, table, new Date(at))) n++;
    created[table] = n;
  }
  return created;
}
