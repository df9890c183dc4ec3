import { invitations } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context, Role } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { insertOne } from "../rows.ts";
import { presentInvitation } from "./invitation.repository.ts";
import { newInvitationToken } from "./invitation-token.ts";
import { findUserByEmail } from "./user.repository.ts";

export interface CreateInvitationInput {
  email?: string | undefined;
  role: Role;
  ttlHours: number;
}

/** An admin invites someone: the answer carries the one-time token (never stored, never shown again). */
export async function createInvitation(ctx: Context, input: CreateInvitationInput) {
  const email = input.email?.trim().toLowerCase() || null;
  if (email && (await findUserByEmail(ctx.db, email))) throw new ConflictError("a user with this email already exists");
  const { token, hash } = newInvitationToken();
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const inserted = await insertOne(tx, invitations, {
      tokenHash: hash,
      email,
      role: input.role,
      createdBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.ttlHours * 3_600_000),
    });
    await recordAudit(
      ctx,
      {
        eventType: "invitation_created",
        description: `Invitation ${inserted.id} created for ${email ?? "anyone with the link"} as ${input.role}`,
        newValues: { id: inserted.id, email, role: input.role, expires_at: inserted.expiresAt.toISOString() },
      },
      tx,
    );
    return inserted;
  });
  return {
    ...presentInvitation({ ...row, createdByUsername: ctx.actor.kind === "user" ? ctx.actor.username : null }, now),
    token,
  };
}
