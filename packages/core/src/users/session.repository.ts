import { type Db, userSessions, users } from "@homepot/db";
import { and, desc, eq, gt, isNull } from "drizzle-orm";

export type SessionRow = typeof userSessions.$inferSelect;
export const REFRESH_TOKEN_PREFIX = "hpr";

export async function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(userSessions).where(eq(userSessions.id, id)).limit(1);
  return row;
}

/** True while the session may be used: not revoked, not past its absolute end. */
export const sessionActive = (row: SessionRow, now: Date) => !row.revokedAt && row.expiresAt.getTime() > now.getTime();

export async function listActiveSessionRows(db: Db, userId: number, now: Date): Promise<SessionRow[]> {
  // A password reset, disabling or "sign out everywhere" bumped the user's token version: those sessions are over.
  const rows = await db
    .select({ session: userSessions })
    .from(userSessions)
    .innerJoin(users, and(eq(users.id, userSessions.userId), eq(users.tokenVersion, userSessions.tokenVersion)))
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt), gt(userSessions.expiresAt, now)))
    .orderBy(desc(userSessions.lastUsedAt));
  return rows.map((r) => r.session);
}

/** The session as its owner sees it: where and when, never a secret or a hash. */
export function presentSession(row: SessionRow, currentId: string | undefined) {
  return {
    id: row.id,
    current: row.id === currentId,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    user_agent: row.userAgent,
    ip: row.ip,
  };
}
export type PresentedSession = ReturnType<typeof presentSession>;

/** `hpr_<session id>.<secret>` → its parts, or undefined when it is not shaped like a refresh token. */
export function parseRefreshToken(token: string): { sessionId: string; secret: string } | undefined {
  const m = /^hpr_([0-9a-f]{24})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { sessionId: m[1] as string, secret: m[2] as string } : undefined;
}
