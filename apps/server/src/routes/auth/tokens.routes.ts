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
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

/** A token cannot mint or revoke tokens: managing them needs a signed-in session, so a leaked token cannot spread. */
function requireSession(request: FastifyRequest): void {
  if (request.apiToken) throw new ForbiddenError("API tokens are managed from a signed-in session, not with a token");
}

/** API tokens for scripts and integrations (`Authorization: Bearer hpt_…`, `HOMEPOT_TOKEN` for the CLI). */
export const apiTokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ["auth"];
  const signedIn = app.authorize();

  app.get(
    "/tokens",
    { onRequest: signedIn, schema: { tags, querystring: ApiTokensQuery, response: { 200: ApiTokensResponse } } },
    async (request) => {
      requireSession(request);
      const tokens = await listApiTokens(requestContext(request), request.query.user_id);
      return { success: true as const, count: tokens.length, tokens };
    },
  );

  app.post(
    "/tokens",
    { onRequest: signedIn, schema: { tags, body: CreateApiTokenBody, response: { 201: CreateApiTokenResponse } } },
    async (request, reply) => {
      requireSession(request);
      const data = await createApiToken(requestContext(request), {
        name: request.body.name,
        scope: request.body.scope,
        expiresInDays: request.body.expires_in_days,
        tenantId: request.body.tenant_id,
        siteId: request.body.site_id,
      });
      return reply.code(201).send({ success: true as const, message: "API token created", data });
    },
  );

  app.delete(
    "/tokens/:token_id",
    { onRequest: signedIn, schema: { tags, params: ApiTokenIdParams, response: { 200: MessageResult } } },
    async (request) => {
      requireSession(request);
      await revokeApiToken(requestContext(request), request.params.token_id);
      return { success: true as const, message: "API token revoked" };
    },
  );
};
