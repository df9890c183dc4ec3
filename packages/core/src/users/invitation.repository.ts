import { type Db, invitations, users } from "@homepot/db";
import { desc, eq } from "drizzle-orm";

export type InvitationRow = typeof invitations.$inferSelect;

export async function findInvitationByHash(db: Db, tokenHash: string): Promise<InvitationRow | undefined> {
  const [row] = await db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).limit(1);
  return row;
}

export async function listInvitationRows(db: Db, limit: number) {
  return db
    .select({ invitation: invitations, createdByUsername: users.username })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.createdBy))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(limit);
}

export function invitationStatus(row: InvitationRow, now: Date): "pending" | "used" | "revoked" | "expired" {
  if (row.usedAt) return "used";
  if (row.revokedAt) return "revoked";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

/** The invitation as the API shows it: never the token or its hash. */
export function presentInvitation(row: InvitationRow & { createdByUsername: string | null }, now: Date) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: invitationStatus(row, now),
    created_by: row.createdBy,
    created_by_username: row.createdByUsername,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    used_at: row.usedAt?.toISOString() ?? null,
  };
}
export type PresentedInvitation = ReturnType<typeof presentInvitation>;
