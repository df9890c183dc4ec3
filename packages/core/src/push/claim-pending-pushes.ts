import type { Context } from "../context.ts";
import { claimPushes, type PushRow } from "./push.repository.ts";

/** `GET /push/pending`: the device's own pushes, each handed out once. */
export function claimPendingPushes(ctx: Context, deviceId: string): Promise<PushRow[]> {
  return ctx.db.transaction((tx) => claimPushes(tx, deviceId, ctx.clock.now()));
}
