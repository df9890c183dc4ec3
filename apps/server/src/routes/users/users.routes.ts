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
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

/**
 * User administration (platform admins: the users of every tenant): list, role, enable/disable, password reset,
 * invitations. A tenant's admins manage their members through /tenants/{tenant_id}/members.
 */
export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = app.authorize("platform");
  const tags = ["users"];

  app.get("/", { onRequest: admin, schema: { tags, response: { 200: UsersResponse } } }, async (request) => {
    const users = await listUsers(requestContext(request));
    return { success: true as const, count: users.length, users: users.map(presentUser) };
  });

  app.patch(
    "/:user_id",
    {
      onRequest: admin,
      schema: { tags, params: UserIdParams, body: UpdateUserBody, response: { 200: UserWriteResponse } },
    },
    async (request) => {
      const user = await updateUser(requestContext(request), request.params.user_id, {
        role: request.body.role,
        isActive: request.body.is_active,
      });
      app.forgetUser(user.id);
      return { success: true as const, message: "User updated", data: presentUser(user) };
    },
  );

  app.post(
    "/:user_id/reset-password",
    {
      onRequest: admin,
      schema: { tags, params: UserIdParams, body: ResetPasswordBody, response: { 200: ResetPasswordResponse } },
    },
    async (request) => {
      const { generatedPassword } = await resetUserPassword(
        requestContext(request),
        request.params.user_id,
        request.body.password,
      );
      app.forgetUser(request.params.user_id);
      return {
        success: true as const,
        message: "Password reset; the user's sessions have ended",
        data: { generated_password: generatedPassword ?? null },
      };
    },
  );

  app.get(
    "/invitations",
    { onRequest: admin, schema: { tags, response: { 200: InvitationsResponse } } },
    async (request) => {
      const invitations = await listInvitations(requestContext(request));
      return { success: true as const, count: invitations.length, invitations };
    },
  );

  app.post(
    "/invitations",
    { onRequest: admin, schema: { tags, body: CreateInvitationBody, response: { 201: CreateInvitationResponse } } },
    async (request, reply) => {
      const { token, ...invitation } = await createInvitation(requestContext(request), {
        email: request.body.email,
        role: request.body.role,
        ttlHours: request.body.expires_in_hours ?? app.deps.config.inviteTtlH,
      });
      // The link the invitee opens; relative to the address the admin reached the server at.
      const origin = `${request.protocol}://${request.headers.host ?? `${app.deps.config.host}:${app.deps.config.port}`}`;
      const url = `${origin}/signup?invite=${encodeURIComponent(token)}`;
      return reply
        .code(201)
        .send({ success: true as const, message: "Invitation created", data: { ...invitation, token, url } });
    },
  );

  app.delete(
    "/invitations/:invitation_id",
    { onRequest: admin, schema: { tags, params: InvitationIdParams, response: { 200: MessageResult } } },
    async (request) => {
      await revokeInvitation(requestContext(request), request.params.invitation_id);
      return { success: true as const, message: "Invitation revoked" };
    },
  );
};
