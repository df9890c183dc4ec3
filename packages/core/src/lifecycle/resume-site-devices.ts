import { devices } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import type { DeviceRow } from "../devices/device.repository.ts";
import { bumpKeyEpoch } from "../devices/key-epoch.ts";
import { announce } from "../devices/lifecycle-bus.ts";
import { ConflictError } from "../errors.ts";
import { lockSite } from "./lock-site.ts";
import { recordTransition, type TransitionInput } from "./record-transition.ts";

/** "Resume all": every suspended device of an active site back to active, in one transaction. */
export async function resumeSiteDevices(
  ctx: Context,
  siteId: string,
  input: TransitionInput,
): Promise<{ siteId: string; resumed: string[] }> {
  const after: DeviceRow[] = [];
  const r = await ctx.db.transaction(async (tx) => {
    const site = await lockSite(tx, siteId);
    if (site.lifecycleState === "archived")
      throw new ConflictError(`Site ${site.siteId} is archived; restore it before resuming its devices`);
    const suspended = await tx
      .select()
      .from(devices)
      .where(and(eq(devices.siteId, site.siteId), eq(devices.isActive, true), eq(devices.lifecycleState, "suspended")))
      .orderBy(devices.id)
      .for("update");
    for (const d of suspended)
      after.push(
        await recordTransition(
          ctx,
          tx,
          d,
          { action: "resume", to: "active" },
          { reason: input.reason ?? "resume all" },
        ),
      );
    if (suspended.length) await bumpKeyEpoch(tx);
    return { siteId: site.siteId, resumed: suspended.map((d) => d.deviceId) };
  });
  announce(after);
  return r;
}
