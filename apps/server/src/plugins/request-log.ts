import type { RequestLogWriter } from "@homepot/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

// Liveness, readiness, metrics and docs are not API usage.
const EXCLUDED = /^\/api\/v1\/health(\/|$)/;

export function isLoggedPath(path: string): boolean {
  return path.startsWith("/api/") && !EXCLUDED.test(path);
}

/** Records every API request in api_request_logs through the batching writer, off the request path. */
export function registerRequestLog(app: FastifyInstance, writer: RequestLogWriter): void {
  // Callback-style hooks: an async hook costs a promise and a microtask on every request. The response time is
  // Fastify's own (reply.elapsedTime, from the request's arrival to the response's end): no hook of our own for it.
  // Error answers built outside the error handler (the 404 handler, rate limits) still carry `{detail}`.
  app.addHook("onSend", (request, reply, payload, done) => {
    if (
      reply.statusCode >= 400 &&
      request.errorMessage === undefined &&
      typeof payload === "string" &&
      payload.startsWith("{")
    ) {
      try {
        const detail = (JSON.parse(payload) as { detail?: unknown }).detail;
        if (detail !== undefined) request.errorMessage = typeof detail === "string" ? detail : JSON.stringify(detail);
      } catch {
        // not JSON: nothing to record
      }
    }
    done(null, payload);
  });

  app.addHook("onResponse", (request, reply, done) => {
    const query = request.url.indexOf("?");
    const path = query === -1 ? request.url : request.url.slice(0, query);
    if (isLoggedPath(path)) push(request, reply, path);
    done();
  });

  function push(request: FastifyRequest, reply: FastifyReply, path: string): void {
    const elapsedMs = reply.elapsedTime;
    const actor = request.actor;
    writer.push({
      timestamp_ms: Date.now(),
      endpoint: path.slice(0, 255),
      route: request.routeOptions?.url?.slice(0, 255) ?? null,
      method: request.method.slice(0, 10),
      status_code: reply.statusCode,
      response_time_ms: Math.round(elapsedMs * 1000) / 1000,
      user_id: actor?.kind === "user" ? String(actor.userId) : null,
      device_id: actor?.kind === "device" ? actor.deviceId : null,
      ip_address: request.ip?.slice(0, 45) ?? null,
      user_agent: request.headers["user-agent"]?.slice(0, 500) ?? null,
      error_message: reply.statusCode >= 400 ? (request.errorMessage ?? null) : null,
      request_size_bytes: size(request),
      response_size_bytes: Number(reply.getHeader("content-length") ?? 0) || null,
    });
  }
}

function size(request: FastifyRequest): number | null {
  const header = request.headers["content-length"];
  return header ? Number(header) || 0 : 0;
}
