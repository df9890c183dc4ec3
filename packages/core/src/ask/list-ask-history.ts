import type { Context } from "../context.ts";
import { listAskQueries } from "./ask.repository.ts";

export interface AskHistoryEntry {
  id: number;
  asked_at: string;
  question: string;
  intent: string;
  engine: string;
  answered: boolean;
  trust_level: string;
  answer: string;
  site_id: string | null;
  device_id: string | null;
  duration_ms: number;
}

/** The caller's own questions, newest first: nobody sees another user's history. */
export async function listAskHistory(
  ctx: Context,
  page: { limit: number; offset: number },
): Promise<AskHistoryEntry[]> {
  const userId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const rows = await listAskQueries(ctx.db, userId, page.limit, page.offset);
  return rows.map((r) => ({
    id: r.id,
    asked_at: r.createdAt.toISOString(),
    question: r.question,
    intent: r.intent,
    engine: r.engine,
    answered: r.answered,
    trust_level: r.trustLevel,
    answer: r.answer,
    site_id: r.siteId,
    device_id: r.deviceId,
    duration_ms: r.durationMs,
  }));
}
