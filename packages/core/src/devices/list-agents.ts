import { devices } from "@homepot/db";
import { asc, eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import { type Agent, latestChecks, presentAgent } from "./agent.ts";

/** The agents of every live device (the original's `GET /agents`), by device id. */
export async function listAgents(ctx: Context, input: { limit: number; offset: number }): Promise<Agent[]> {
  const rows = await ctx.db
    .select()
    .from(devices)
    .where(eq(devices.isActive, true))
    .orderBy(asc(devices.deviceId))
    .limit(input.limit)
    .offset(input.offset);
  const checks = await latestChecks(ctx, rows);
  const now = ctx.clock.now();
  return rows.map((d) => presentAgent(d, checks.get(d.id), now));
}
