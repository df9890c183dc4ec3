import {
  CommandListResponse,
  CommandResponse,
  DeviceCommandParams,
  DeviceIdParams,
  ListCommandsQuery,
  QueueCommandBody,
} from "@homepot/contracts/commands";
import { cancelCommand } from "@homepot/core/commands/cancel-command";
import { listCommands } from "@homepot/core/commands/list-commands";
import { presentCommand } from "@homepot/core/commands/present";
import { queueCommand } from "@homepot/core/commands/queue-command";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { perUserRateLimit } from "../../plugins/auth.ts";
import { requestContext } from "../../plugins/context.ts";

async function listFor(
  deviceId: string,
  request: FastifyRequest & { query: { status?: string[]; limit: number; offset: number } },
) {
  const { commands, total } = await listCommands(requestContext(request), { deviceId, ...request.query });
  return { success: true as const, count: commands.length, total, commands: commands.map(presentCommand) };
}

/** Operators queue and cancel commands; anyone signed in reads their lifecycle. Device-side routes: device-commands.routes.ts. */
export const commandRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/devices/:device_id/commands",
    {
      onRequest: app.authorize("operator"),
      // Terminal input is queued here too: one user may queue HOMEPOT_COMMAND_RATE_PER_MIN a minute.
      config: perUserRateLimit(app.deps.config.commandRatePerMin),
      schema: {
        tags: ["commands"],
        params: DeviceIdParams,
        body: QueueCommandBody,
        response: { 201: CommandResponse },
      },
    },
    async (request, reply) => {
      const ctx = requestContext(request);
      const { command_type, payload, expires_at, expires_in_s } = request.body;
      const row = await queueCommand(ctx, {
        deviceId: request.params.device_id,
        commandType: command_type,
        payload: payload ?? null,
        expiresAt: expires_at,
        expiresInS: expires_in_s,
      });
      return reply
        .code(201)
        .send({ success: true as const, message: `Command ${row.commandType} queued`, data: presentCommand(row) });
    },
  );

  // `/devices/device/{id}/commands` is the original HOMEPOT's path for the same list.
  for (const url of ["/devices/device/:device_id/commands", "/devices/:device_id/commands"]) {
    app.get(
      url,
      {
        onRequest: app.authorize("viewer"),
        schema: {
          tags: ["commands"],
          params: DeviceIdParams,
          querystring: ListCommandsQuery,
          response: { 200: CommandListResponse },
        },
      },
      async (request) => listFor(request.params.device_id, request),
    );
  }

  app.post(
    "/devices/:device_id/commands/:command_id/cancel",
    {
      onRequest: app.authorize("operator"),
      schema: { tags: ["commands"], params: DeviceCommandParams, response: { 200: CommandResponse } },
    },
    async (request) => {
      const row = await cancelCommand(requestContext(request), request.params.command_id, request.params.device_id);
      return { success: true as const, message: `Command ${row.commandId} cancelled`, data: presentCommand(row) };
    },
  );
};
