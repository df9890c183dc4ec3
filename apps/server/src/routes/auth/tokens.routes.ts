import {
  ApiTokenIdParams,
  ApiTokensQuery,
  ApiTokensResponse,
  CreateApiTokenBody,
  CreateApiTokenResponse,
  MessageResult,
} from "@homepot/contracts";
import { createApiToken, ForbiddenError, listApiTokens, revokeApiToken } from "@homepot/core";
import type { FastifyRequest } from "fastify";
import { okList, okMessage, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

/** A token cannot mint or revoke tokens: managing them needs a signed-in session, so a leaked token cannot spread. */
function requireSession(request: FastifyRequest): void {
  if (request.apiToken) throw new ForbiddenError("API tokens are managed from a signed-in session, not with a token");
}

/** API tokens for scripts and integrations (`Authorization: Bearer hpt_…`, `HOMEPOT_TOKEN` for the CLI). */
export const apiTokenRoutes = featureRoutes(["auth"], () => [
  route.get(
    "/tokens",
    { auth: "signed-in", query: ApiTokensQuery, response: ApiTokensResponse },
    async ({ ctx, query, request }) => {
      requireSession(request);
      return okList("tokens", await listApiTokens(ctx, query.user_id));
    },
  ),

  route.post(
    "/tokens",
    { auth: "signed-in", body: CreateApiTokenBody, response: CreateApiTokenResponse, status: 201 },
    async ({ ctx, body, request }) => {
      requireSession(request);
      const data = await createApiToken(ctx, {
        name: body.name,
        scope: body.scope,
        expiresInDays: body.expires_in_days,
        tenantId: body.tenant_id,
        siteId: body.site_id,
      });
      return okWrite("API token created", data);
    },
  ),

  route.delete(
    "/tokens/:token_id",
    { auth: "signed-in", params: ApiTokenIdParams, response: MessageResult },
    async ({ ctx, params, request }) => {
      requireSession(request);
      await revokeApiToken(ctx, params.token_id);
      return okMessage("API token revoked");
    },
  ),
]);
