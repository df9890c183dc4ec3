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
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

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
export const deviceCommandRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/devices/pending",
    { onRequest: app.authenticateDevice, schema: { tags: ["commands"], response: { 200: PendingCommandsResponse } } },
    async (request) => {
      const rows = await claimPendingCommands(requestContext(request), callerDevice(request));
      return rows.map(presentPendingCommand);
    },
  );

  app.post(
    "/devices/:device_id/commands/:command_id/ack",
    {
      onRequest: app.authenticateDevice,
      schema: {
        tags: ["commands"],
        summary: "The device got the command (acknowledged) or started it (executing)",
        params: DeviceCommandParams,
        body: CommandAckBody,
        response: { 200: CommandResponse },
      },
    },
    async (request) => {
      const { device_id, command_id } = request.params;
      const row = await acknowledgeCommand(
        requestContext(request),
        callerDevice(request),
        device_id,
        command_id,
        request.body.status,
      );
      return {
        success: true as const,
        message: `Command ${row.commandId} ${presentCommand(row).lifecycle}`,
        data: presentCommand(row),
      };
    },
  );

  // A command's outcome: our route, and the original agents' (SPEC §6; completed ≙ succeeded).
  for (const [method, url, body] of [
    ["POST", "/devices/commands/:command_id/result", CommandResultBody],
    ["PUT", "/devices/:command_id/status", CompatCommandStatusBody],
  ] as const) {
    app.route({
      method,
      url,
      onRequest: app.authenticateDevice,
      schema: { tags: ["commands"], params: CommandIdParams, body, response: { 200: CommandResponse } },
      handler: async (request) => {
        const row = await reportCommandResult(
          requestContext(request),
          callerDevice(request),
          request.params.command_id,
          request.body,
        );
        return { success: true as const, message: `Command ${row.commandId} ${row.status}`, data: presentCommand(row) };
      },
    });
  }
};
