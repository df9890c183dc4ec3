import { maskSecretFields } from "@homepot/core";
import type { FastifyInstance } from "fastify";

/**
 * Viewers read devices, commands and jobs but not the secrets inside them: in every answer to a viewer, secret-looking
 * keys of configs and payloads (wifi_password, api_key…) read "•••". Operators and admins, who change those configs,
 * see them; a device reads its own commands unmasked.
 */
export function registerViewerRedaction(app: FastifyInstance): void {
  app.addHook("preSerialization", async (request, _reply, payload) => {
    if (request.actor?.kind !== "user" || request.actor.role !== "viewer") return payload;
    return maskSecretFields(payload);
  });
}
