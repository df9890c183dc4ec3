import type { Context } from "../context.ts";
import { ForbiddenError } from "../errors.ts";
import { accessOf } from "../tenants/authorize.ts";
import { listApiTokenRows, type PresentedApiToken, presentApiToken } from "./api-token.repository.ts";

/** The caller's own tokens, newest first (an admin may list another user's, to revoke a leaked one). */
export async function listApiTokens(ctx: Context, userId?: number): Promise<PresentedApiToken[]> {
  const actor = ctx.actor;
  if (actor.kind !== "user") throw new ForbiddenError("Only a signed-in user has API tokens");
  const owner = userId ?? actor.userId;
  if (owner !== actor.userId && !accessOf(ctx)?.platform) throw new ForbiddenError("Only an admin sees others' tokens");
  const now = ctx.clock.now();
  return (await listApiTokenRows(ctx.db, owner)).map((row) => presentApiToken(row, now));
}
