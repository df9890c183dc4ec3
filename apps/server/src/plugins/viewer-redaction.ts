import { maskSecretFields, roleAtLeast } from "@homepot/core";
import type { FastifyInstance } from "fastify";

/**
 * Viewers (and installers) read devices, commands and jobs but not the secrets inside them: in every answer to them, secret-looking
 * keys of configs and payloads (wifi_password, api_key…) read "•••". Operators and admins, who change those configs,
 * see them; a device reads its own commands unmasked.
 */
export function registerViewerRedaction(app: FastifyInstance): void {
  app.addHook("preSerialization", (request, _reply, payload, done) => {
    if (request.actor?.kind !== "user" || roleAtLeast(request.actor.role, "operator")) done(null, payload);
    else done(null, maskSecretFields(payload));
  });
}
