import { type Db, enrolmentIntents } from "@homepot/db";
import { and, desc, eq, gt, inArray, lte, type SQL, sql } from "drizzle-orm";
import { findOne } from "../rows.ts";

export type IntentRow = typeof enrolmentIntents.$inferSelect;
/** What an intent is now: its stored status, or `expired` for an unused one past its expiry. */
export type IntentState = IntentRow["status"] | "expired";
export const INTENT_STATES = ["pending", "approved", "consumed", "rejected", "revoked", "expired"] as const;

export function intentState(row: IntentRow, now: Date): IntentState {
  const open = row.status === "pending" || row.status === "approved";
  return open && row.expiresAt.getTime() <= now.getTime() ? "expired" : row.status;
}

export function findIntent(db: Db, siteId: string, intentId: string): Promise<IntentRow | undefined> {
  return findOne(
    db,
    enrolmentIntents,
    and(eq(enrolmentIntents.intentId, intentId), eq(enrolmentIntents.siteId, siteId)),
  );
}

/** The intent row locked for update inside a transaction (any site). */
export async function lockIntent(tx: Db, intentId: string): Promise<IntentRow | undefined> {
  const [row] = await tx
    .select()
    .from(enrolmentIntents)
    .where(eq(enrolmentIntents.intentId, intentId))
    .for("update")
    .limit(1);
  return row;
}

export async function findIntentByIdempotencyKey(db: Db, key: string): Promise<IntentRow | undefined> {
  const [row] = await db.select().from(enrolmentIntents).where(eq(enrolmentIntents.idempotencyKey, key)).limit(1);
  return row;
}

/** The SQL condition for "the intent is in state `state` at `now`" (expired is computed, not stored). */
function stateFilter(state: IntentState, now: Date): SQL | undefined {
  const open = inArray(enrolmentIntents.status, ["pending", "approved"]);
  if (state === "expired") return and(open, lte(enrolmentIntents.expiresAt, now));
  if (state === "pending" || state === "approved")
    return and(eq(enrolmentIntents.status, state), gt(enrolmentIntents.expiresAt, now));
  return eq(enrolmentIntents.status, state);
}

export async function listIntentsOfSite(
  db: Db,
  input: { siteId: string; state?: IntentState | undefined; limit: number; offset: number; now: Date },
): Promise<{ rows: IntentRow[]; total: number }> {
  const where = and(
    eq(enrolmentIntents.siteId, input.siteId),
    input.state ? stateFilter(input.state, input.now) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(enrolmentIntents)
      .where(where)
      .orderBy(desc(enrolmentIntents.createdAt), desc(enrolmentIntents.id))
      .limit(input.limit)
      .offset(input.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(enrolmentIntents).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}
