import type { Context } from "../context.ts";
import { type Agent, latestChecks, presentAgent } from "./agent.ts";
import { type ListDevicesInput, listDevices } from "./list-devices.ts";

export type ListAgentsInput = Pick<
  ListDevicesInput,
  "limit" | "offset" | "siteId" | "lifecycleState" | "connectivityState" | "search"
>;

/** The agents of live devices (the original's `GET /agents`), by device id, filtered as the device list is. */
export async function listAgents(ctx: Context, input: ListAgentsInput): Promise<{ total: number; agents: Agent[] }> {
  const { total, devices } = await listDevices(ctx, input);
  const rows = devices.map((d) => d.device);
  const checks = await latestChecks(ctx, rows);
  const now = ctx.clock.now();
  return { total, agents: rows.map((d) => presentAgent(d, checks.get(d.id), now)) };
}
