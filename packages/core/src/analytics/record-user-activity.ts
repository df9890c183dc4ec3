import type { ActivityEventInput } from "@homepot/contracts/analytics";
import { userActivities } from "@homepot/db";
import { actorLabel, type Context } from "../context.ts";
import { UnauthorizedError } from "../errors.ts";
import { redactSecretString, redactSecrets, stripSecretParams } from "../redact.ts";
import { clampTimestamp } from "./present.ts";

/**
 * Stores a batch of dashboard interactions for the signed-in user, all or nothing.
 * The user id always comes from the actor (the token), never from the event.
 */
export async function recordUserActivity(ctx: Context, events: ActivityEventInput[]): Promise<number[]> {
  if (ctx.actor.kind !== "user") throw new UnauthorizedError("User activity needs a signed-in user");
  const userId = actorLabel(ctx.actor);
  const now = ctx.clock.now();
  const rows = events.map((e) => {
    const extra = e.extra_data ?? e.metadata ?? null;
    return {
      timestamp: clampTimestamp(e.timestamp, now),
      userId,
      sessionId: e.session_id ?? null,
      activityType: e.activity_type,
      pageUrl: e.page_url == null ? null : stripSecretParams(e.page_url),
      elementId: e.element_id ?? null,
      searchQuery: e.search_query == null ? null : redactSecretString(e.search_query),
      extraData: extra === null ? null : redactSecrets(extra),
      durationMs: e.duration_ms ?? null,
    };
  });
  // One multi-row insert: the batch is stored whole or not at all.
  const inserted = await ctx.db.insert(userActivities).values(rows).returning({ id: userActivities.id });
  return inserted.map((r) => r.id);
}
