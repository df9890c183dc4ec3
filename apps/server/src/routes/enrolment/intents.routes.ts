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
import { okList, okStatus } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

const SHOWN_ONCE = "store the claim token now, it is not shown again";

/** Enrolment intents (claim tokens): operators manage them per site; a device redeems one without other credentials. */
export const intentRoutes = featureRoutes(["enrolment"], (app) => [
  route.post(
    "/sites/:site_id/enrolment-intents",
    { auth: "onboard", params: SiteParams, body: CreateIntentBody, response: CreateIntentResult, status: [201, 200] },
    async ({ ctx, params, body: { site_id: bodySite, ...body }, reply }) => {
      if (bodySite && bodySite !== params.site_id)
        throw new ValidationError("site_id in the body must match the site of the path", "site_id");
      const { intent, claimToken, created } = await createEnrolmentIntent(ctx, params.site_id, toInput(body));
      reply.header("cache-control", "no-store");
      reply.code(created ? 201 : 200);
      return okStatus({
        message: created ? `Enrolment intent created; ${SHOWN_ONCE}` : "Enrolment intent already exists",
        intent_id: intent.intentId,
        claim_token: claimToken,
        expires_at: intent.expiresAt.toISOString(),
        data: presentIntent(intent, ctx.clock.now()),
      });
    },
  ),

  route.get(
    "/sites/:site_id/enrolment-intents",
    { auth: "inventory", params: SiteParams, query: ListIntentsQuery, response: IntentList },
    async ({ ctx, params, query }) => {
      const { rows, total } = await listEnrolmentIntents(ctx, params.site_id, toInput(query));
      const now = ctx.clock.now();
      return okList(
        "intents",
        rows.map((i) => presentIntent(i, now)),
        { total },
      );
    },
  ),

  route.get(
    "/sites/:site_id/enrolment-intents/:intent_id",
    { auth: "inventory", params: IntentParams, response: IntentGetResult },
    async ({ ctx, params }) => {
      const intent = await getEnrolmentIntent(ctx, params.site_id, params.intent_id);
      return { success: true as const, ...presentIntent(intent, ctx.clock.now()) };
    },
  ),

  route.put(
    "/sites/:site_id/enrolment-intents/:intent_id",
    { auth: "onboard", params: IntentParams, body: DecideIntentBody, response: DecideIntentResult },
    async ({ ctx, params: { site_id, intent_id }, body }) => {
      const { intent, changed } = await updateEnrolmentIntent(ctx, site_id, intent_id, toInput(body));
      const view = presentIntent(intent, ctx.clock.now());
      return okStatus({
        message: changed ? `Enrolment intent ${view.status}` : `Enrolment intent was already ${view.status}`,
        intent_id: intent.intentId,
        new_status: view.status,
        data: view,
      });
    },
  ),

  route.post(
    "/sites/:site_id/enrolment-intents/:intent_id/regenerate-token",
    { auth: "onboard", params: IntentParams, body: RegenerateTokenBody, response: RegenerateTokenResult },
    async ({ ctx, params: { site_id, intent_id }, body, reply }) => {
      const { intent, claimToken } = await regenerateClaimToken(ctx, site_id, intent_id, toInput(body ?? {}));
      reply.header("cache-control", "no-store");
      return okStatus({
        message: `Claim token regenerated; ${SHOWN_ONCE}`,
        claim_token: claimToken,
        data: presentIntent(intent, ctx.clock.now()),
      });
    },
  ),

  // Device-facing: no other credential than the claim token; guessing is rate-limited per client address.
  route.post(
    "/enrolment-intents/:intent_id/claim",
    {
      auth: "public",
      config: { rateLimit: { max: 20, timeWindow: "1 minute" } },
      params: ClaimParams,
      body: ClaimBody,
      response: ClaimResult,
      status: 201,
    },
    async ({ ctx, params, body, reply }) => {
      const claimed = await claimEnrolmentIntent(ctx, params.intent_id, toInput(body));
      app.deviceKeys.forget(claimed.device.deviceId);
      reply.header("cache-control", "no-store");
      return okStatus({
        message: "Device claimed successfully; store the api_key now, it is not shown again",
        device_id: claimed.device.deviceId,
        api_key: claimed.apiKey,
        site_id: claimed.siteId,
        epoch_id: claimed.epochId,
        lifecycle_state: claimed.device.lifecycleState,
        release_key: presentReleaseKey(app.releaseStore()),
      });
    },
  ),
]);
