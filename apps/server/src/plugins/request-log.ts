import type { RequestLogWriter } from "@homepot/core";
import type { FastifyInstance, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    startedAt?: bigint;
  }
}

// Liveness, readiness, metrics and docs are not API usage.
const EXCLUDED = /^\/api\/v1\/health(\/|$)/;

export function isLoggedPath(path: string): boolean {
  return path.startsWith("/api/") && !EXCLUDED.test(path);
}

/** Records every API request in api_request_logs through the batching writer, off the request path. */
export function registerRequestLog(app: FastifyInstance, writer: RequestLogWriter): void {
  app.addHook("onRequest", async (request) => {
    request.startedAt = process.hrtime.bigint();
  });

  // Error answers built outside the error handler (the 404 handler, rate limits) still carry `{detail}`.
  app.addHook("onSend", async (request, reply, payload) => {
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
    return payload;
  });

  app.addHook("onResponse", async (request, reply) => {
    const path = request.url.split("?")[0] ?? request.url;
    if (!isLoggedPath(path)) return;
    const started = request.startedAt ?? process.hrtime.bigint();
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const actor = request.actor;
    writer.push({
      timestamp: new Date(),
      endpoint: path.slice(0, 255),
      route: request.routeOptions?.url?.slice(0, 255) ?? null,
      method: request.method.slice(0, 10),
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(elapsedMs * 1000) / 1000,
      userId: actor?.kind === "user" ? String(actor.userId) : null,
      deviceId: actor?.kind === "device" ? actor.deviceId : null,
      ipAddress: request.ip?.slice(0, 45) ?? null,
      userAgent: request.headers["user-agent"]?.slice(0, 500) ?? null,
      errorMessage: reply.statusCode >= 400 ? (request.errorMessage ?? null) : null,
      requestSizeBytes: size(request),
      responseSizeBytes: Number(reply.getHeader("content-length") ?? 0) || null,
    });
  });
}

function size(request: FastifyRequest): number | null {
  const header = request.headers["content-length"];
  return header ? Number(header) || 0 : 0;
}
