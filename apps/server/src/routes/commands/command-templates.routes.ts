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
import { ok, okList, okMessage, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

const one = { params: CommandTemplateParams } as const;

/**
 * The fleet-wide command history (`/commands`) and the command templates (`/command-templates`): everyone
 * signed in reads them; operators save, change, delete and run templates.
 */
export const commandTemplateRoutes = featureRoutes(["commands"], () => [
  route.get(
    "/commands",
    { auth: "viewer", query: CommandHistoryQuery, response: CommandHistoryResponse },
    async ({ ctx, query }) => {
      const { commands, total } = await listCommands(ctx, toInput(query));
      return okList("commands", commands.map(presentCommandHistory), { total });
    },
  ),

  route.get("/command-templates", { auth: "viewer", response: CommandTemplateList }, async ({ ctx }) =>
    okList("templates", (await listCommandTemplates(ctx)).map(presentTemplate)),
  ),

  route.post(
    "/command-templates",
    { auth: "operator", body: CreateCommandTemplateBody, response: CommandTemplateResult, status: 201 },
    async ({ ctx, body }) => {
      const row = await createCommandTemplate(ctx, toInput(body));
      return okWrite(`Command template ${row.name} saved`, presentTemplate(row));
    },
  ),

  route.get(
    "/command-templates/:template_id",
    { ...one, auth: "viewer", response: CommandTemplateRead },
    async ({ ctx, params }) => ok(presentTemplate(await getCommandTemplate(ctx, params.template_id))),
  ),

  route.patch(
    "/command-templates/:template_id",
    { ...one, auth: "operator", body: UpdateCommandTemplateBody, response: CommandTemplateResult },
    async ({ ctx, params, body }) => {
      const row = await updateCommandTemplate(ctx, params.template_id, toInput(body));
      return okWrite(`Command template ${row.name} updated`, presentTemplate(row));
    },
  ),

  route.delete(
    "/command-templates/:template_id",
    { ...one, auth: "operator", response: MessageResult },
    async ({ ctx, params }) => {
      const row = await deleteCommandTemplate(ctx, params.template_id);
      return okMessage(`Command template ${row.name} deleted`);
    },
  ),

  route.post(
    "/command-templates/:template_id/run",
    {
      ...one,
      auth: "operator",
      summary: "Queue the template's command on some devices or every active device of a site",
      body: RunCommandTemplateBody,
      response: TemplateRunResult,
    },
    async ({ ctx, params, body }) => {
      const run = await runCommandTemplate(ctx, params.template_id, toInput(body));
      return okWrite(
        `Queued on ${run.queued.length} device(s)${run.failed.length ? `, refused by ${run.failed.length}` : ""}`,
        {
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
      );
    },
  ),
]);
