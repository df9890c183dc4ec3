import {
  AlertCountsQuery,
  AlertCountsResponse,
  AlertGetResult,
  AlertList,
  AlertNoteBody,
  AlertParams,
  AlertResult,
  ListAlertsQuery,
} from "@homepot/contracts/alerts";
import { toInput } from "@homepot/contracts/input";
import { acknowledgeAlert, resolveAlert } from "@homepot/core/alerts/change-alert-status";
import { countAlerts, getAlert, listAlerts } from "@homepot/core/alerts/list-alerts";
import { presentAlert } from "@homepot/core/alerts/present";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["alerts"];

/** /api/v1/alerts: every role reads alerts; operators acknowledge and resolve them. */
export const alertRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags, querystring: ListAlertsQuery, response: { 200: AlertList } },
    },
    async (request) => {
      const { rows, total } = await listAlerts(requestContext(request), toInput(request.query));
      return { success: true as const, count: rows.length, total, alerts: rows.map(presentAlert) };
    },
  );

  app.get(
    "/counts",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags, querystring: AlertCountsQuery, response: { 200: AlertCountsResponse } },
    },
    async (request) => ({
      success: true as const,
      data: await countAlerts(requestContext(request), toInput(request.query)),
    }),
  );

  app.get(
    "/:id",
    { onRequest: app.authorize("viewer"), schema: { tags, params: AlertParams, response: { 200: AlertGetResult } } },
    async (request) => ({
      success: true as const,
      data: presentAlert(await getAlert(requestContext(request), request.params.id)),
    }),
  );

  app.post(
    "/:id/acknowledge",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: AlertParams, body: AlertNoteBody.nullish(), response: { 200: AlertResult } },
    },
    async (request) => {
      const r = await acknowledgeAlert(requestContext(request), request.params.id, request.body?.note);
      const message = r.already ? "Alert was already acknowledged" : "Alert acknowledged";
      return { success: true as const, message, data: presentAlert(r.alert) };
    },
  );

  app.post(
    "/:id/resolve",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: AlertParams, body: AlertNoteBody.nullish(), response: { 200: AlertResult } },
    },
    async (request) => {
      const r = await resolveAlert(requestContext(request), request.params.id, request.body?.note);
      const message = r.already ? "Alert was already resolved" : "Alert resolved";
      return { success: true as const, message, data: presentAlert(r.alert) };
    },
  );
};
