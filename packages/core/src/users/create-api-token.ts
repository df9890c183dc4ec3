import { type ApiTokenScope, apiTokens } from "@homepot/db";
import { and, eq, gt, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import { type Context, roleAtLeast } from "../context.ts";
import { ConflictError, ForbiddenError, ValidationError } from "../errors.ts";
import { insertOne } from "../rows.ts";
import { authorize } from "../tenants/authorize.ts";
import { API_TOKEN_PREFIX, presentApiToken, SCOPE_ROLE } from "./api-token.repository.ts";
import { newSecretToken } from "./secret-token.ts";

export const MAX_ACTIVE_API_TOKENS = 50;

export interface CreateApiTokenInput {
  name: string;
  scope: ApiTokenScope;
  expiresInDays: number;
  /** Limit the token to one tenant or one site (sites.id) the owner belongs to. */
  tenantId?: number | undefined;
  siteId?: number | undefined;
}

/**
 * A signed-in user makes a named token for a script: it can never do more than its owner (an operator cannot
 * make an admin token). The answer carries the token once; only its hash is kept.
 */
export async function createApiToken(ctx: Context, input: CreateApiTokenInput) {
  const actor = ctx.actor;
  if (actor.kind !== "user") throw new ForbiddenError("Only a signed-in user can create API tokens");
  if (!roleAtLeast(actor.role, SCOPE_ROLE[input.scope]))
    throw new ValidationError(`scope ${input.scope} is more than your ${actor.role} role allows`, "scope");
  if (input.tenantId !== undefined) await authorize(ctx, "inventory", { tenantId: input.tenantId });
  if (input.siteId !== undefined) await authorize(ctx, "inventory", { siteKey: input.siteId });
  const name = input.name.trim();
  const now = ctx.clock.now();
  const { token, hash } = newSecretToken(API_TOKEN_PREFIX);
  const row = await ctx.db.transaction(async (tx) => {
    const active = await tx
      .select({ id: apiTokens.id, name: apiTokens.name })
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
    if (active.some((t) => t.name.toLowerCase() === name.toLowerCase()))
      throw new ConflictError(`you already have an active token named "${name}"`);
    if (active.length >= MAX_ACTIVE_API_TOKENS)
      throw new ConflictError(`at most ${MAX_ACTIVE_API_TOKENS} active tokens per user: revoke one first`);
    const inserted = await insertOne(tx, apiTokens, {
      userId: actor.userId,
      name,
      tokenHash: hash,
      tokenPrefix: token.slice(0, 12),
      scope: input.scope,
      tenantId: input.tenantId ?? null,
      siteId: input.siteId ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
    });
    await recordAudit(
      ctx,
      {
        eventType: "api_token_created",
        description: `API token ${inserted.id} "${name}" (${input.scope}) created by ${actor.username}`,
        newValues: { id: inserted.id, name, scope: input.scope, expires_at: inserted.expiresAt.toISOString() },
      },
      tx,
    );
    return inserted;
  });
  return { ...presentApiToken(row, now), token };
}
