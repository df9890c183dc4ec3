import { MessageResult } from "@homepot/contracts";
import {
  CommandHistoryQuery,
  CommandHistoryResponse,
  CommandTemplateList,
  CommandTemplateParams,
  CommandTemplateRead,
  CommandTemplateResult,
  CreateCommandTemplateBody,
  RunCommandTemplateBody,
  TemplateRunResult,
  UpdateCommandTemplateBody,
} from "@homepot/contracts/command-templates";
import { toInput } from "@homepot/contracts/input";
import { createCommandTemplate } from "@homepot/core/command-templates/create-command-template";
import { deleteCommandTemplate } from "@homepot/core/command-templates/delete-command-template";
import { getCommandTemplate } from "@homepot/core/command-templates/get-command-template";
import { listCommandTemplates } from "@homepot/core/command-templates/list-command-templates";
import { presentTemplate } from "@homepot/core/command-templates/present";
import { runCommandTemplate } from "@homepot/core/command-templates/run-command-template";
import { updateCommandTemplate } from "@homepot/core/command-templates/update-command-template";
import { listCommands } from "@homepot/core/commands/list-commands";
import { presentCommandHistory } from "@homepot/core/commands/present";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["commands"];

/**
 * The fleet-wide command history (`/commands`) and the command templates (`/command-templates`): everyone
 * signed in reads them; operators save, change, delete and run templates.
 */
export const commandTemplateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/commands",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags, querystring: CommandHistoryQuery, response: { 200: CommandHistoryResponse } },
    },
    async (request) => {
      const { commands, total } = await listCommands(requestContext(request), toInput(request.query));
      return { success: true as const, count: commands.length, total, commands: commands.map(presentCommandHistory) };
    },
  );

  app.get(
    "/command-templates",
    { onRequest: app.authorize("viewer"), schema: { tags, response: { 200: CommandTemplateList } } },
    async (request) => {
      const rows = await listCommandTemplates(requestContext(request));
      return { success: true as const, count: rows.length, templates: rows.map(presentTemplate) };
    },
  );

  app.post(
    "/command-templates",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, body: CreateCommandTemplateBody, response: { 201: CommandTemplateResult } },
    },
    async (request, reply) => {
      const row = await createCommandTemplate(requestContext(request), toInput(request.body));
      return reply.code(201).send({
        success: true as const,
        message: `Command template ${row.name} saved`,
        data: presentTemplate(row),
      });
    },
  );

  app.get(
    "/command-templates/:template_id",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags, params: CommandTemplateParams, response: { 200: CommandTemplateRead } },
    },
    async (request) => {
      const row = await getCommandTemplate(requestContext(request), request.params.template_id);
      return { success: true as const, data: presentTemplate(row) };
    },
  );

  app.patch(
    "/command-templates/:template_id",
    {
      onRequest: app.authorize("operator"),
      schema: {
        tags,
        params: CommandTemplateParams,
        body: UpdateCommandTemplateBody,
        response: { 200: CommandTemplateResult },
      },
    },
    async (request) => {
      const row = await updateCommandTemplate(
        requestContext(request),
        request.params.template_id,
        toInput(request.body),
      );
      return { success: true as const, message: `Command template ${row.name} updated`, data: presentTemplate(row) };
    },
  );

  app.delete(
    "/command-templates/:template_id",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: CommandTemplateParams, response: { 200: MessageResult } },
    },
    async (request) => {
      const row = await deleteCommandTemplate(requestContext(request), request.params.template_id);
      return { success: true as const, message: `Command template ${row.name} deleted` };
    },
  );

  app.post(
    "/command-templates/:template_id/run",
    {
      onRequest: app.authorize("operator"),
      schema: {
        tags,
        summary: "Queue the template's command on some devices or every active device of a site",
        params: CommandTemplateParams,
        body: RunCommandTemplateBody,
        response: { 200: TemplateRunResult },
      },
    },
    async (request) => {
      const run = await runCommandTemplate(requestContext(request), request.params.template_id, toInput(request.body));
      return {
        success: true as const,
        message: `Queued on ${run.queued.length} device(s)${run.failed.length ? `, refused by ${run.failed.length}` : ""}`,
        data: {
          template_id: run.templateId,
          command_type: run.commandType.toLowerCase(),
          payload: run.payload,
          queued: run.queued.map((q) => ({ device_id: q.deviceId, command_id: q.commandId })),
          failed: run.failed.map((f) => ({
            device_id: f.deviceId,
            error: f.error,
            code: f.code,
            ...(f.missingPermissions ? { missing_permissions: f.missingPermissions } : {}),
          })),
        },
      };
    },
  );
};
