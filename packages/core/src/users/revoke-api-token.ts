import { apiTokens } from "@homepot/db";
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.ts";
import { accessOf } from "../tenants/authorize.ts";

/** Revokes a token at once: its owner or an admin; another user's token id answers 404 to a non-admin. */
export async function revokeApiToken(ctx: Context, id: number): Promise<void> {
  const actor = ctx.actor;
  if (actor.kind !== "user") throw new ForbiddenError("Only a signed-in user can revoke API tokens");
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
    if (!row || (row.userId !== actor.userId && !accessOf(ctx)?.platform))
      throw new NotFoundError(`API token ${id} not found`);
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: ctx.clock.now() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (!revoked) throw new ConflictError(`API token ${id} was already revoked`);
    await recordAudit(
      ctx,
      {
        eventType: "api_token_revoked",
        description: `API token ${id} "${row.name}" revoked by ${actor.username}`,
        oldValues: { id, name: row.name, scope: row.scope, user_id: row.userId },
      },
      tx,
    );
  });
}
