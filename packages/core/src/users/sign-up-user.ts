import { type Db, invitations, users } from "@homepot/db";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { ForbiddenError, ValidationError } from "../errors.ts";
import { type CreateUserInput, createUser } from "./create-user.ts";
import { findInvitationByHash, invitationStatus } from "./invitation.repository.ts";
import { hashInvitationToken } from "./invitation-token.ts";
import type { UserRow } from "./user.repository.ts";

export interface SignupPolicy {
  /** HOMEPOT_SIGNUP: anyone, holders of an invitation, or nobody. */
  mode: "open" | "invite" | "off";
  /** HOMEPOT_FIRST_SIGNUP_ADMIN: while no active admin exists, the first sign-up becomes admin without an invitation. */
  firstSignupAdmin: boolean;
}

async function hasActiveAdmin(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.isActive, true)))
    .limit(1);
  return row !== undefined;
}

/** Whether the server takes sign-ups at all right now, and how (for the login page). */
export async function signupAvailability(ctx: Context, policy: SignupPolicy) {
  const firstAdmin = policy.firstSignupAdmin && !(await hasActiveAdmin(ctx.db));
  return { mode: policy.mode, first_signup_admin: firstAdmin, has_admin: await hasActiveAdmin(ctx.db) };
}

/**
 * Self-service sign-up under the server's policy (`off` refuses every sign-up, invitations included). An invitation (when given or required) must be pending and, if it
 * names an address, for this one; its role is the new user's, and it is used up in the same transaction. With
 * HOMEPOT_FIRST_SIGNUP_ADMIN=on and no admin yet, the first account becomes admin (decided under a lock, so two
 * simultaneous sign-ups cannot both become admin).
 */
export async function signUpUser(
  ctx: Context,
  input: Omit<CreateUserInput, "role" | "oidc"> & { password: string; inviteToken?: string | undefined },
  policy: SignupPolicy,
): Promise<UserRow> {
  const tokenHash = input.inviteToken ? hashInvitationToken(input.inviteToken) : undefined;
  const email = input.email.trim().toLowerCase();

  // Checked before hashing the password too, so refused sign-ups cost the server nothing.
  const firstAdminPossible = policy.firstSignupAdmin && !(await hasActiveAdmin(ctx.db));
  if (!firstAdminPossible && (!tokenHash || policy.mode === "off")) refuseWithoutInvitation(policy.mode);
  if (tokenHash && !firstAdminPossible) usableInvitation(await findInvitationByHash(ctx.db, tokenHash), email, ctx);

  let invitationId: number | undefined;
  return createUser(ctx, input, {
    async beforeInsert(tx) {
      if (policy.firstSignupAdmin) {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext('homepot:first-signup-admin'))`);
        if (!(await hasActiveAdmin(tx)))
          return { role: "admin", reason: "first sign-up, HOMEPOT_FIRST_SIGNUP_ADMIN=on" };
      }
      if (!tokenHash || policy.mode === "off") return refuseWithoutInvitation(policy.mode);
      const invitation = usableInvitation(await findInvitationByHash(tx, tokenHash), email, ctx);
      invitationId = invitation.id;
      return { role: invitation.role, reason: `invitation ${invitation.id}` };
    },
    async afterInsert(tx, user) {
      if (invitationId === undefined) return;
      // Used once: a second sign-up racing on the same token finds used_at set and rolls back.
      const [used] = await tx
        .update(invitations)
        .set({ usedAt: ctx.clock.now(), usedBy: user.id })
        .where(and(eq(invitations.id, invitationId), isNull(invitations.usedAt), isNull(invitations.revokedAt)))
        .returning({ id: invitations.id });
      if (!used) throw new ValidationError("this invitation has already been used", "invite_token");
    },
  });
}

function refuseWithoutInvitation(mode: SignupPolicy["mode"]): undefined {
  if (mode === "off") throw new ForbiddenError("Sign-up is disabled on this server; ask an admin for an account");
  if (mode === "invite") throw new ForbiddenError("Sign-up needs an invitation; ask an admin for an invitation link");
  return undefined;
}

function usableInvitation(
  invitation: Awaited<ReturnType<typeof findInvitationByHash>>,
  email: string,
  ctx: Context,
): NonNullable<typeof invitation> {
  if (!invitation) throw new ValidationError("this invitation is not valid", "invite_token");
  const status = invitationStatus(invitation, ctx.clock.now());
  if (status !== "pending")
    throw new ValidationError(
      `this invitation has ${status === "expired" ? "expired" : `been ${status}`}`,
      "invite_token",
    );
  if (invitation.email && invitation.email !== email) {
    throw new ValidationError("this invitation is for another e-mail address", "invite_token");
  }
  return invitation;
}
