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
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";
import { IntakeQuota } from "./intake-quota.ts";

/** What the dashboard (and the traffic generator) sends: user activity batches and frontend errors. */
export const analyticsIntakeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/user-activity",
    {
      onRequest: app.authorize(),
      schema: {
        tags: ["analytics"],
        summary: "Record one dashboard interaction or a batch ({events})",
        body: UserActivityBody,
        response: { 201: IntakeResult },
      },
    },
    async (request, reply) => {
      const ids = await recordUserActivity(requestContext(request), request.body.events);
      return reply.code(201).send({
        success: true as const,
        message: `${ids.length} activit${ids.length === 1 ? "y" : "ies"} recorded`,
        data: { count: ids.length, ids },
      });
    },
  );

  // Errors may come from pages before sign-in (e.g. the login page), so no user is required;
  // the signed-in user, when there is one, is attributed. Rate-limited per client against floods, and
  // capped in rows and bytes per source and hour.
  const quota = new IntakeQuota(app.deps.config.errorIntakeRowsPerHour, app.deps.config.errorIntakeBytesPerHour);
  for (const url of ["/errors", "/error"]) {
    app.post(
      url,
      {
        config: { rateLimit: { max: 240, timeWindow: "1 minute" } },
        schema: {
          tags: ["analytics"],
          summary: "Report dashboard errors (one or {errors: [...]})",
          body: FrontendErrorBody,
          response: { 201: IntakeResult },
        },
      },
      async (request, reply) => {
        const actor = request.actor;
        const source = actor?.kind === "user" ? `user:${actor.userId}` : `ip:${request.ip}`;
        const bytes = Number(request.headers["content-length"]) || JSON.stringify(request.body).length;
        quota.charge(source, request.body.errors.length, bytes, requestContext(request).clock.now());
        const ids = await recordFrontendErrors(requestContext(request), request.body.errors);
        return reply.code(201).send({
          success: true as const,
          message: `${ids.length} error${ids.length === 1 ? "" : "s"} recorded`,
          data: { count: ids.length, ids },
        });
      },
    );
  }

  app.patch(
    "/errors/:id",
    {
      onRequest: app.authorize("operator"),
      schema: {
        tags: ["analytics"],
        summary: "Resolve (or reopen) an error",
        params: ErrorIdParams,
        body: ResolveErrorBody,
        response: { 200: ResolveErrorResult },
      },
    },
    async (request) => {
      const data = await resolveError(requestContext(request), request.params.id, request.body);
      return { success: true as const, message: data.resolved ? "Error resolved" : "Error reopened", data };
    },
  );
};
