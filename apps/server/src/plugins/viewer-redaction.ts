import { maskSecretFields } from "@homepot/core";
import type { FastifyInstance } from "fastify";

/**
 * Viewers read devices, commands and jobs but not the secrets inside them: in every answer to a viewer, secret-looking
 * keys of configs and payloads (wifi_password, api_key…) read "•••". Operators and admins, who change those configs,
 * see them; a device reads its own commands unmasked.
 */
export function registerViewerRedaction(app: FastifyInstance): void {
  app.addHook("preSerialization", (request, _reply, payload, done) => {
    if (request.actor?.kind !== "user" || request.actor.role !== "viewer") done(null, payload);
    else done(null, maskSecretFields(payload));
  });
}
