import {
  ClaimBody,
  ClaimParams,
  ClaimResult,
  CreateIntentBody,
  CreateIntentResult,
  DecideIntentBody,
  DecideIntentResult,
  IntentGetResult,
  IntentList,
  IntentParams,
  ListIntentsQuery,
  RegenerateTokenBody,
  RegenerateTokenResult,
} from "@homepot/contracts/enrolment";
import { toInput } from "@homepot/contracts/input";
import { SiteParams } from "@homepot/contracts/sites";
import { ValidationError } from "@homepot/core";
import { claimEnrolmentIntent } from "@homepot/core/enrolment/claim-enrolment-intent";
import { createEnrolmentIntent } from "@homepot/core/enrolment/create-enrolment-intent";
import { getEnrolmentIntent } from "@homepot/core/enrolment/get-enrolment-intent";
import { listEnrolmentIntents } from "@homepot/core/enrolment/list-enrolment-intents";
import { presentIntent } from "@homepot/core/enrolment/present";
import { regenerateClaimToken } from "@homepot/core/enrolment/regenerate-claim-token";
import { updateEnrolmentIntent } from "@homepot/core/enrolment/update-enrolment-intent";
import { presentReleaseKey } from "@homepot/core/releases/present";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["enrolment"];
const SHOWN_ONCE = "store the claim token now, it is not shown again";

/** Enrolment intents (claim tokens): operators manage them per site; a device redeems one without other credentials. */
export const intentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/sites/:site_id/enrolment-intents",
    {
      onRequest: app.authorize("onboard"),
      schema: {
        tags,
        params: SiteParams,
        body: CreateIntentBody,
        response: { 201: CreateIntentResult, 200: CreateIntentResult },
      },
    },
    async (request, reply) => {
      const { site_id: bodySite, ...body } = request.body;
      if (bodySite && bodySite !== request.params.site_id)
        throw new ValidationError("site_id in the body must match the site of the path", "site_id");
      const ctx = requestContext(request);
      const { intent, claimToken, created } = await createEnrolmentIntent(ctx, request.params.site_id, toInput(body));
      reply.header("cache-control", "no-store");
      return reply.code(created ? 201 : 200).send({
        success: true as const,
        status: "success" as const,
        message: created ? `Enrolment intent created; ${SHOWN_ONCE}` : "Enrolment intent already exists",
        intent_id: intent.intentId,
        claim_token: claimToken,
        expires_at: intent.expiresAt.toISOString(),
        data: presentIntent(intent, ctx.clock.now()),
      });
    },
  );

  app.get(
    "/sites/:site_id/enrolment-intents",
    {
      onRequest: app.authorize("inventory"),
      schema: { tags, params: SiteParams, querystring: ListIntentsQuery, response: { 200: IntentList } },
    },
    async (request) => {
      const ctx = requestContext(request);
      const { rows, total } = await listEnrolmentIntents(ctx, request.params.site_id, toInput(request.query));
      const now = ctx.clock.now();
      return { success: true as const, count: rows.length, total, intents: rows.map((i) => presentIntent(i, now)) };
    },
  );

  app.get(
    "/sites/:site_id/enrolment-intents/:intent_id",
    {
      onRequest: app.authorize("inventory"),
      schema: { tags, params: IntentParams, response: { 200: IntentGetResult } },
    },
    async (request) => {
      const ctx = requestContext(request);
      const intent = await getEnrolmentIntent(ctx, request.params.site_id, request.params.intent_id);
      return { success: true as const, ...presentIntent(intent, ctx.clock.now()) };
    },
  );

  app.put(
    "/sites/:site_id/enrolment-intents/:intent_id",
    {
      onRequest: app.authorize("onboard"),
      schema: { tags, params: IntentParams, body: DecideIntentBody, response: { 200: DecideIntentResult } },
    },
    async (request) => {
      const ctx = requestContext(request);
      const { site_id, intent_id } = request.params;
      const { intent, changed } = await updateEnrolmentIntent(ctx, site_id, intent_id, toInput(request.body));
      const view = presentIntent(intent, ctx.clock.now());
      return {
        success: true as const,
        status: "success" as const,
        message: changed ? `Enrolment intent ${view.status}` : `Enrolment intent was already ${view.status}`,
        intent_id: intent.intentId,
        new_status: view.status,
        data: view,
      };
    },
  );

  app.post(
    "/sites/:site_id/enrolment-intents/:intent_id/regenerate-token",
    {
      onRequest: app.authorize("onboard"),
      schema: { tags, params: IntentParams, body: RegenerateTokenBody, response: { 200: RegenerateTokenResult } },
    },
    async (request, reply) => {
      const ctx = requestContext(request);
      const { site_id, intent_id } = request.params;
      const { intent, claimToken } = await regenerateClaimToken(ctx, site_id, intent_id, toInput(request.body ?? {}));
      reply.header("cache-control", "no-store");
      return {
        success: true as const,
        status: "success" as const,
        message: `Claim token regenerated; ${SHOWN_ONCE}`,
        claim_token: claimToken,
        data: presentIntent(intent, ctx.clock.now()),
      };
    },
  );

  // Device-facing: no other credential than the claim token; guessing is rate-limited per client address.
  app.post(
    "/enrolment-intents/:intent_id/claim",
    {
      config: { rateLimit: { max: 20, timeWindow: "1 minute" } },
      schema: { tags, params: ClaimParams, body: ClaimBody, response: { 201: ClaimResult } },
    },
    async (request, reply) => {
      const claimed = await claimEnrolmentIntent(
        requestContext(request),
        request.params.intent_id,
        toInput(request.body),
      );
      app.deviceKeys.forget(claimed.device.deviceId);
      reply.header("cache-control", "no-store");
      return reply.code(201).send({
        success: true as const,
        status: "success" as const,
        message: "Device claimed successfully; store the api_key now, it is not shown again",
        device_id: claimed.device.deviceId,
        api_key: claimed.apiKey,
        site_id: claimed.siteId,
        epoch_id: claimed.epochId,
        lifecycle_state: claimed.device.lifecycleState,
        release_key: presentReleaseKey(app.releaseStore()),
      });
    },
  );
};
