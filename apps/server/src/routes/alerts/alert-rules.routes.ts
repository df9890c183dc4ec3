import { MessageResult } from "@homepot/contracts";
import {
  AlertRuleList,
  AlertRuleParams,
  AlertRuleResult,
  CreateAlertRuleBody,
  UpdateAlertRuleBody,
} from "@homepot/contracts/alerts";
import { toInput } from "@homepot/contracts/input";
import {
  createAlertRule,
  deleteAlertRule,
  listAlertRules,
  updateAlertRule,
} from "@homepot/core/alerts/manage-alert-rules";
import { presentRule } from "@homepot/core/alerts/present";
import { okList, okMessage, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

/**
 * /api/v1/alerts/rules: every role reads the rules it sees (platform-wide ones, its tenants'); admins manage them:
 * platform admins all, a tenant's admins their tenant's (the use cases answer 404/403 for any other).
 */
export const alertRuleRoutes = featureRoutes(["alerts"], () => [
  route.get("/", { auth: "viewer", response: AlertRuleList }, async ({ ctx }) => {
    const rules = await listAlertRules(ctx);
    return okList(
      "rules",
      rules.map((r) => presentRule(r.rule, r.openAlerts)),
    );
  }),

  route.post(
    "/",
    { auth: "administer", body: CreateAlertRuleBody, response: AlertRuleResult, status: 201 },
    async ({ ctx, body }) => {
      const rule = await createAlertRule(ctx, toInput(body));
      return okWrite(`Alert rule ${rule.id} created`, presentRule(rule));
    },
  ),

  route.put(
    "/:id",
    { auth: "administer", params: AlertRuleParams, body: UpdateAlertRuleBody, response: AlertRuleResult },
    async ({ ctx, params, body }) => {
      const rule = await updateAlertRule(ctx, params.id, toInput(body));
      return okWrite(`Alert rule ${rule.id} updated`, presentRule(rule));
    },
  ),

  route.delete(
    "/:id",
    { auth: "administer", params: AlertRuleParams, response: MessageResult },
    async ({ ctx, params }) => {
      const rule = await deleteAlertRule(ctx, params.id);
      return okMessage(`Alert rule ${rule.id} deleted`);
    },
  ),
]);
