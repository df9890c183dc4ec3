import { invitations } from "@homepot/db";
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";

/** Makes an unused invitation unusable; 409 when it was already used or revoked. */
export async function revokeInvitation(ctx: Context, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(invitations).where(eq(invitations.id, id)).limit(1);
    if (!row) throw new NotFoundError(`invitation ${id} not found`);
    const [revoked] = await tx
      .update(invitations)
      .set({ revokedAt: ctx.clock.now() })
      .where(and(eq(invitations.id, id), isNull(invitations.usedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    if (!revoked) throw new ConflictError(`invitation ${id} was already ${row.usedAt ? "used" : "revoked"}`);
    await recordAudit(ctx, { eventType: "invitation_revoked", description: `Invitation ${id} revoked` }, tx);
  });
}
