import { devices } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { type Agent, latestChecks, presentAgent } from "./agent.ts";

/** One device's agent; 404 when the device is unknown or deleted. */
export async function getAgent(ctx: Context, deviceId: string): Promise<Agent> {
  const [row] = await ctx.db
    .select()
    .from(devices)
    .where(and(eq(devices.deviceId, deviceId), eq(devices.isActive, true)))
    .limit(1);
  if (!row) throw new NotFoundError(`Agent for device ${deviceId} not found`);
  const checks = await latestChecks(ctx, [row]);
  return presentAgent(row, checks.get(row.id), ctx.clock.now());
}
