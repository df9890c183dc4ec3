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
import { ok, okList, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

const change = { auth: "operator", params: AlertParams, body: AlertNoteBody.nullish(), response: AlertResult } as const;

/** /api/v1/alerts: every role reads alerts; operators acknowledge and resolve them. */
export const alertRoutes = featureRoutes(["alerts"], () => [
  route.get("/", { auth: "viewer", query: ListAlertsQuery, response: AlertList }, async ({ ctx, query }) => {
    const { rows, total } = await listAlerts(ctx, toInput(query));
    return okList("alerts", rows.map(presentAlert), { total });
  }),

  route.get(
    "/counts",
    { auth: "viewer", query: AlertCountsQuery, response: AlertCountsResponse },
    async ({ ctx, query }) => ok(await countAlerts(ctx, toInput(query))),
  ),

  route.get("/:id", { auth: "viewer", params: AlertParams, response: AlertGetResult }, async ({ ctx, params }) =>
    ok(presentAlert(await getAlert(ctx, params.id))),
  ),

  route.post("/:id/acknowledge", change, async ({ ctx, params, body }) => {
    const r = await acknowledgeAlert(ctx, params.id, body?.note);
    return okWrite(r.already ? "Alert was already acknowledged" : "Alert acknowledged", presentAlert(r.alert));
  }),

  route.post("/:id/resolve", change, async ({ ctx, params, body }) => {
    const r = await resolveAlert(ctx, params.id, body?.note);
    return okWrite(r.already ? "Alert was already resolved" : "Alert resolved", presentAlert(r.alert));
  }),
]);
