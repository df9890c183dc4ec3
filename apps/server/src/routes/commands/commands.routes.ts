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
import { perUserRateLimit } from "../../plugins/auth.ts";
import { okList, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

/** Operators queue and cancel commands; anyone signed in reads their lifecycle. Device-side routes: device-commands.routes.ts. */
export const commandRoutes = featureRoutes(["commands"], (app) => [
  route.post(
    "/devices/:device_id/commands",
    {
      auth: "operator",
      // Terminal input is queued here too: one user may queue HOMEPOT_COMMAND_RATE_PER_MIN a minute.
      config: perUserRateLimit(app.deps.config.commandRatePerMin),
      params: DeviceIdParams,
      body: QueueCommandBody,
      response: CommandResponse,
      status: 201,
    },
    async ({ ctx, params, body }) => {
      const { command_type, payload, expires_at, expires_in_s } = body;
      const row = await queueCommand(ctx, {
        deviceId: params.device_id,
        commandType: command_type,
        payload: payload ?? null,
        expiresAt: expires_at,
        expiresInS: expires_in_s,
      });
      return okWrite(`Command ${row.commandType} queued`, presentCommand(row));
    },
  ),

  // `/devices/device/{id}/commands` is the original HOMEPOT's path for the same list.
  ...["/devices/device/:device_id/commands", "/devices/:device_id/commands"].map((url) =>
    route.get(
      url,
      { auth: "viewer", params: DeviceIdParams, query: ListCommandsQuery, response: CommandListResponse },
      async ({ ctx, params, query }) => {
        const { commands, total } = await listCommands(ctx, { deviceId: params.device_id, ...query });
        return okList("commands", commands.map(presentCommand), { total });
      },
    ),
  ),

  route.post(
    "/devices/:device_id/commands/:command_id/cancel",
    { auth: "operator", params: DeviceCommandParams, response: CommandResponse },
    async ({ ctx, params }) => {
      const row = await cancelCommand(ctx, params.command_id, params.device_id);
      return okWrite(`Command ${row.commandId} cancelled`, presentCommand(row));
    },
  ),
]);
