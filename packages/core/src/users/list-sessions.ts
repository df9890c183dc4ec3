import type { Context } from "../context.ts";
import { ForbiddenError } from "../errors.ts";
import { listActiveSessionRows, type PresentedSession, presentSession } from "./session.repository.ts";

/** The caller's live sessions (browsers and clients signed in), most recently used first. */
export async function listSessions(ctx: Context, currentId: string | undefined): Promise<PresentedSession[]> {
  if (ctx.actor.kind !== "user") throw new ForbiddenError("Only a signed-in user has sessions");
  const rows = await listActiveSessionRows(ctx.db, ctx.actor.userId, ctx.clock.now());
  return rows.map((row) => presentSession(row, currentId));
}
