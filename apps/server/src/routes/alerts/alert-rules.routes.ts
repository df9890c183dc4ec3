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
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["alerts"];

/**
 * /api/v1/alerts/rules: every role reads the rules it sees (platform-wide ones, its tenants'); admins manage them:
 * platform admins all, a tenant's admins their tenant's (the use cases answer 404/403 for any other).
 */
export const alertRuleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/",
    { onRequest: app.authorize("viewer"), schema: { tags, response: { 200: AlertRuleList } } },
    async (request) => {
      const rules = await listAlertRules(requestContext(request));
      return {
        success: true as const,
        count: rules.length,
        rules: rules.map((r) => presentRule(r.rule, r.openAlerts)),
      };
    },
  );

  app.post(
    "/",
    {
      onRequest: app.authorize("administer"),
      schema: { tags, body: CreateAlertRuleBody, response: { 201: AlertRuleResult } },
    },
    async (request, reply) => {
      const rule = await createAlertRule(requestContext(request), toInput(request.body));
      return reply
        .code(201)
        .send({ success: true as const, message: `Alert rule ${rule.id} created`, data: presentRule(rule) });
    },
  );

  app.put(
    "/:id",
    {
      onRequest: app.authorize("administer"),
      schema: { tags, params: AlertRuleParams, body: UpdateAlertRuleBody, response: { 200: AlertRuleResult } },
    },
    async (request) => {
      const rule = await updateAlertRule(requestContext(request), request.params.id, toInput(request.body));
      return { success: true as const, message: `Alert rule ${rule.id} updated`, data: presentRule(rule) };
    },
  );

  app.delete(
    "/:id",
    {
      onRequest: app.authorize("administer"),
      schema: { tags, params: AlertRuleParams, response: { 200: MessageResult } },
    },
    async (request) => {
      const rule = await deleteAlertRule(requestContext(request), request.params.id);
      return { success: true as const, message: `Alert rule ${rule.id} deleted` };
    },
  );
};
