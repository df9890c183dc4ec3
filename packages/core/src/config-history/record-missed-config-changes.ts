import { configurationHistory, deviceCommands } from "@homepot/db";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import { readCommandStates } from "../commands/command.repository.ts";
import type { Context } from "../context.ts";
import { type ConfigHistoryOptions, recordConfigApplied } from "./record-config-applied.ts";

/**
 * Catches up on UPDATE_CONFIG successes that no listener recorded (reported to an instance that
 * stopped before handling it, or one without an orchestrator): each gets its configuration_history row.
 */
export async function recordMissedConfigChanges(
  ctx: Context,
  options: ConfigHistoryOptions & { lookbackMs: number; limit?: number },
): Promise<number> {
  const since = new Date(ctx.clock.now().getTime() - options.lookbackMs);
  const missed = await ctx.db
    .select({ commandId: deviceCommands.commandId })
    .from(deviceCommands)
    .where(
      and(
        eq(deviceCommands.commandType, "UPDATE_CONFIG"),
        eq(deviceCommands.status, "succeeded"),
        gte(deviceCommands.completedAt, since),
        sql`not exists (select 1 from ${configurationHistory} h where h.entity_type = 'device' and h.entity_id = ${deviceCommands.deviceId}
              and h.timestamp >= ${since.toISOString()}::timestamp - interval '1 day'
              and (h.new_value)::jsonb ->> 'command_id' = ${deviceCommands.commandId})`,
      ),
    )
    .orderBy(desc(deviceCommands.completedAt))
    .limit(options.limit ?? 100);
  if (missed.length === 0) return 0;
  const states = await readCommandStates(
    ctx.db,
    missed.map((m) => m.commandId),
  );
  let recorded = 0;
  for (const state of states.values()) {
    if (await recordConfigApplied(ctx, state, options)) recorded += 1;
  }
  return recorded;
}
