import {
  ErrorIdParams,
  FrontendErrorBody,
  IntakeResult,
  ResolveErrorBody,
  ResolveErrorResult,
  UserActivityBody,
} from "@homepot/contracts/analytics";
import { recordFrontendErrors } from "@homepot/core/analytics/record-frontend-errors";
import { recordUserActivity } from "@homepot/core/analytics/record-user-activity";
import { resolveError } from "@homepot/core/analytics/resolve-error";
import { okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";
import { IntakeQuota } from "./intake-quota.ts";

/** The answer to a batch recorded: how many rows, and their ids. */
const recorded = (ids: number[], one: string, many: string) =>
  okWrite(`${ids.length} ${ids.length === 1 ? one : many} recorded`, { count: ids.length, ids });

/** What the dashboard (and the traffic generator) sends: user activity batches and frontend errors. */
export const analyticsIntakeRoutes = featureRoutes(["analytics"], (app) => {
  // Errors may come from pages before sign-in (e.g. the login page), so no user is required;
  // the signed-in user, when there is one, is attributed. Rate-limited per client against floods, and
  // capped in rows and bytes per source and hour.
  const quota = new IntakeQuota(app.deps.config.errorIntakeRowsPerHour, app.deps.config.errorIntakeBytesPerHour);
  return [
    route.post(
      "/user-activity",
      {
        auth: "signed-in",
        summary: "Record one dashboard interaction or a batch ({events})",
        body: UserActivityBody,
        response: IntakeResult,
        status: 201,
      },
      async ({ ctx, body }) => recorded(await recordUserActivity(ctx, body.events), "activity", "activities"),
    ),

    ...["/errors", "/error"].map((url) =>
      route.post(
        url,
        {
          auth: "public",
          config: { rateLimit: { max: 240, timeWindow: "1 minute" } },
          summary: "Report dashboard errors (one or {errors: [...]})",
          body: FrontendErrorBody,
          response: IntakeResult,
          status: 201,
        },
        async ({ ctx, body, request }) => {
          const actor = request.actor;
          const source = actor?.kind === "user" ? `user:${actor.userId}` : `ip:${request.ip}`;
          const bytes = Number(request.headers["content-length"]) || JSON.stringify(body).length;
          quota.charge(source, body.errors.length, bytes, ctx.clock.now());
          return recorded(await recordFrontendErrors(ctx, body.errors), "error", "errors");
        },
      ),
    ),

    route.patch(
      "/errors/:id",
      {
        auth: "operator",
        summary: "Resolve (or reopen) an error",
        params: ErrorIdParams,
        body: ResolveErrorBody,
        response: ResolveErrorResult,
      },
      async ({ ctx, params, body }) => {
        const data = await resolveError(ctx, params.id, body);
        return okWrite(data.resolved ? "Error resolved" : "Error reopened", data);
      },
    ),
  ];
});
