import {
  CommandAckBody,
  CommandIdParams,
  CommandResponse,
  CommandResultBody,
  CompatCommandStatusBody,
  DeviceCommandParams,
  PendingCommandsResponse,
} from "@homepot/contracts/commands";
import { acknowledgeCommand } from "@homepot/core/commands/acknowledge-command";
import { claimPendingCommands } from "@homepot/core/commands/claim-pending-commands";
import { presentCommand, presentPendingCommand } from "@homepot/core/commands/present";
import { reportCommandResult } from "@homepot/core/commands/report-command-result";
import type { FastifyRequest } from "fastify";
import { okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

/** The authenticated device (set by app.authenticateDevice). */
function callerDevice(request: FastifyRequest): string {
  const actor = request.actor;
  if (actor?.kind !== "device") throw new Error("authenticateDevice guarantees a device");
  return actor.deviceId;
}

/**
 * What devices call (X-Device-ID + X-API-Key): fetch their pending commands, report results, ack pushes.
 * `/devices/pending` and `/devices/commands/…` are static segments, so they win over `/devices/{device_id}`.
 */
export const deviceCommandRoutes = featureRoutes(["commands"], () => [
  route.get("/devices/pending", { auth: "device", response: PendingCommandsResponse }, async ({ ctx, request }) => {
    const rows = await claimPendingCommands(ctx, callerDevice(request));
    return rows.map(presentPendingCommand);
  }),

  route.post(
    "/devices/:device_id/commands/:command_id/ack",
    {
      auth: "device",
      summary: "The device got the command (acknowledged) or started it (executing)",
      params: DeviceCommandParams,
      body: CommandAckBody,
      response: CommandResponse,
    },
    async ({ ctx, params, body, request }) => {
      const { device_id, command_id } = params;
      const row = await acknowledgeCommand(ctx, callerDevice(request), device_id, command_id, body.status);
      return okWrite(`Command ${row.commandId} ${presentCommand(row).lifecycle}`, presentCommand(row));
    },
  ),

  // A command's outcome: our route, and the original agents' (SPEC §6; completed ≙ succeeded).
  ...(
    [
      [route.post, "/devices/commands/:command_id/result", CommandResultBody],
      [route.put, "/devices/:command_id/status", CompatCommandStatusBody],
    ] as const
  ).map(([define, url, body]) =>
    define(
      url,
      { auth: "device", params: CommandIdParams, body, response: CommandResponse },
      async ({ ctx, params, body, request }) => {
        const row = await reportCommandResult(ctx, callerDevice(request), params.command_id, body);
        return okWrite(`Command ${row.commandId} ${row.status}`, presentCommand(row));
      },
    ),
  ),
]);
