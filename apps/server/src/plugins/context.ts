import { type Actor, type Context, systemActor, systemClock } from "@homepot/core";
import type { FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    /** Who made the request, once authentication has run. */
    actor?: Actor;
    /** Message of a 4xx/5xx answer, for api_request_logs. */
    errorMessage?: string;
  }
}

/** The use-case context for a request: its database, its actor, the app's clock and logger. */
export function requestContext(request: FastifyRequest): Context {
  const app = request.server;
  return {
    db: app.deps.database.db,
    reads: app.reads.db,
    actor: request.actor ?? withClient(systemActor, request),
    clock: app.deps.clock ?? systemClock,
    logger: request.log,
    signals: app.alerts,
    ...(request.permission ? { permission: request.permission } : {}),
  };
}

/** An anonymous request acts as the system, but its audit rows still name the client's address. */
function withClient(actor: Actor, request: FastifyRequest): Actor {
  return { ...actor, ip: request.ip, userAgent: request.headers["user-agent"] };
}
