import {
  CreateInvitationBody,
  CreateInvitationResponse,
  InvitationIdParams,
  InvitationsResponse,
  MessageResult,
  ResetPasswordBody,
  ResetPasswordResponse,
  UpdateUserBody,
  UserIdParams,
  UsersResponse,
  UserWriteResponse,
} from "@homepot/contracts";
import {
  createInvitation,
  listInvitations,
  listUsers,
  presentUser,
  resetUserPassword,
  revokeInvitation,
  updateUser,
} from "@homepot/core";
import { okList, okMessage, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

/**
 * User administration (platform admins: the users of every tenant): list, role, enable/disable, password reset,
 * invitations. A tenant's admins manage their members through /tenants/{tenant_id}/members.
 */
export const userRoutes = featureRoutes(["users"], (app) => [
  route.get("/", { auth: "platform", response: UsersResponse }, async ({ ctx }) =>
    okList("users", (await listUsers(ctx)).map(presentUser)),
  ),

  route.patch(
    "/:user_id",
    { auth: "platform", params: UserIdParams, body: UpdateUserBody, response: UserWriteResponse },
    async ({ ctx, params, body }) => {
      const user = await updateUser(ctx, params.user_id, { role: body.role, isActive: body.is_active });
      app.forgetUser(user.id);
      return okWrite("User updated", presentUser(user));
    },
  ),

  route.post(
    "/:user_id/reset-password",
    { auth: "platform", params: UserIdParams, body: ResetPasswordBody, response: ResetPasswordResponse },
    async ({ ctx, params, body }) => {
      const { generatedPassword } = await resetUserPassword(ctx, params.user_id, body.password);
      app.forgetUser(params.user_id);
      return okWrite("Password reset; the user's sessions have ended", {
        generated_password: generatedPassword ?? null,
      });
    },
  ),

  route.get("/invitations", { auth: "platform", response: InvitationsResponse }, async ({ ctx }) =>
    okList("invitations", await listInvitations(ctx)),
  ),

  route.post(
    "/invitations",
    { auth: "platform", body: CreateInvitationBody, response: CreateInvitationResponse, status: 201 },
    async ({ ctx, body, request }) => {
      const { token, ...invitation } = await createInvitation(ctx, {
        email: body.email,
        role: body.role,
        ttlHours: body.expires_in_hours ?? app.deps.config.inviteTtlH,
      });
      // The link the invitee opens; relative to the address the admin reached the server at.
      const origin = `${request.protocol}://${request.headers.host ?? `${app.deps.config.host}:${app.deps.config.port}`}`;
      const url = `${origin}/signup?invite=${encodeURIComponent(token)}`;
      return okWrite("Invitation created", { ...invitation, token, url });
    },
  ),

  route.delete(
    "/invitations/:invitation_id",
    { auth: "platform", params: InvitationIdParams, response: MessageResult },
    async ({ ctx, params }) => {
      await revokeInvitation(ctx, params.invitation_id);
      return okMessage("Invitation revoked");
    },
  ),
]);
