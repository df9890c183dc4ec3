import {
  AppError,
  BadRequestError,
  ConflictError,
  ErrorCodes,
  ForbiddenError,
  GoneError,
  logError,
  MissingPermissionsError,
  NotFoundError,
  PayloadTooLargeError,
  RangeNotSatisfiableError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  UpstreamError,
  ValidationError,
} from "@homepot/core";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { requestContext } from "./context.ts";
import { serveDashboardPage } from "./static.ts";

interface FieldError {
  field: string;
  location: string;
  message: string;
}

/** Connection-level failures of PostgreSQL or PGlite: the database is unavailable, not the request wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: unknown } | undefined;
  if (!e) return false;
  const code = e.code ?? "";
  if (
    [
      "ECONNREFUSED",
      "ECONNRESET",
      "ETIMEDOUT",
      "EPIPE",
      "57P01",
      "57P02",
      "57P03",
      "08000",
      "08003",
      "08006",
      "53300",
    ].includes(code)
  )
    return true;
  const msg = e.message ?? "";
  if (
    /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Query read timeout|database closed|PGlite is closed/i.test(
      msg,
    )
  )
    return true;
  return e.cause ? isDatabaseUnavailable(e.cause) : false;
}

/** What a PostgreSQL data exception means for the sender, in our words: its own text is never echoed. */
const DATA_EXCEPTIONS: Record<string, string> = {
  "22001": "a text is longer than its field allows",
  "22003": "a number is out of range",
  "22007": "a date or time is not valid",
  "22008": "a date or time is out of range",
  "22021": "a text contains a character that cannot be stored",
  "22P05": "a text contains a character that cannot be stored",
  "22P02": "a value has the wrong format",
  "22023": "a value is not valid here",
};

/**
 * Input the database refuses (a NUL character, a value out of range or too long, a duplicate key) that got
 * past validation: the request is wrong, not the server. Drizzle wraps the driver error in `cause`. The
 * database's message (which may quote a value or a query) is never part of the answer.
 */
export function databaseInputError(error: unknown): { status: number; detail: string } | undefined {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    const code = typeof e.code === "string" ? e.code : "";
    if (code === "23505") return { status: 409, detail: "A record with these values already exists" };
    if (code === "23503") return { status: 409, detail: "The request refers to a record that does not exist" };
    if (/^22[0-9A-Z]{3}$/.test(code))
      return { status: 400, detail: `Invalid value: ${DATA_EXCEPTIONS[code] ?? "the database refused a value"}` };
  }
  return undefined;
}

/** The HTTP status of each error class, in order: the first class the error is an instance of answers. */
const STATUSES: ReadonlyArray<readonly [new (...args: never[]) => AppError, number]> = [
  [ValidationError, 422],
  [BadRequestError, 400],
  [UpstreamError, 502],
  [NotFoundError, 404],
  [ConflictError, 409],
  [UnauthorizedError, 401],
  [GoneError, 410],
  [ForbiddenError, 403],
  [RateLimitedError, 429],
  [UnavailableError, 503],
  [PayloadTooLargeError, 413],
  [RangeNotSatisfiableError, 416],
];

export function statusOf(error: AppError): number {
  return STATUSES.find(([type]) => error instanceof type)?.[1] ?? 400;
}

/** The one place errors become HTTP answers: `{detail}`, a field name for bad input, nothing internal for 5xx. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.decorate("dashboardServed", false);
  app.setNotFoundHandler((request, reply) => {
    if (serveDashboardPage(app, request, reply)) return;
    reply.code(404).send({ detail: `Not found: ${request.method} ${request.url.split("?")[0]}` });
  });

  // PostgreSQL cannot store a NUL character in text: refuse it up front, naming the field.
  // Callback style, and a scan that allocates nothing unless a NUL is there: it runs on every request.
  app.addHook("preValidation", (request, reply, done) => {
    if (!hasNul(request.params) && !hasNul(request.query) && !hasNul(request.body)) return done();
    for (const [location, value] of [
      ["params", request.params],
      ["querystring", request.query],
      ["body", request.body],
    ] as const) {
      const field = nulField(value);
      if (field === undefined) continue;
      const message = "must not contain NUL characters";
      const detail = `${location === "body" ? "" : `${location} `}${field || location}: ${message}`;
      request.errorMessage = detail;
      reply
        .code(location === "body" ? 422 : 400)
        .send({ detail, errors: [{ field: field || location, location, message }] });
      return;
    }
    done();
  });

  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const send = (status: number, body: Record<string, unknown>) => {
      request.errorMessage = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
      return reply.code(status).send(body);
    };

    if (hasZodFastifySchemaValidationErrors(error)) {
      const location = error.validationContext ?? "body";
      const errors: FieldError[] = error.validation.map((v) => {
        const path = (v.params?.issue as { path?: PropertyKey[] } | undefined)?.path ?? [];
        const field = path.map(String).join(".") || v.instancePath.replace(/^\//, "").replace(/\//g, ".") || location;
        return { field, location, message: v.message ?? "invalid" };
      });
      const first = errors[0];
      const detail = first
        ? `${location === "body" ? "" : `${location} `}${first.field}: ${first.message}`
        : "invalid request";
      // Body problems are 422 (as the original API); bad query, path or headers are 400.
      return send(location === "body" ? 422 : 400, { detail, errors });
    }
    const appError: unknown = error;
    if (appError instanceof AppError) {
      const status = statusOf(appError);
      if (appError instanceof RateLimitedError) reply.header("retry-after", String(appError.retryAfterS));
      if (appError instanceof RangeNotSatisfiableError) reply.header("content-range", `bytes */${appError.size}`);
      const body: Record<string, unknown> = { detail: appError.message };
      if (appError instanceof MissingPermissionsError) body.missing_permissions = appError.missingPermissions;
      if (appError instanceof ValidationError && appError.field) {
        body.errors = [{ field: appError.field, location: "body", message: appError.message }];
      }
      if (status === 503) void logFailure(request, appError, "database", "error", ErrorCodes.dbConnection);
      return send(status, body);
    }
    const fastifyStatus = error.statusCode;
    if (fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500) {
      const detail =
        error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
          ? "Request body is too large"
          : error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
            ? "Unsupported content type: send application/json"
            : error instanceof SyntaxError || error.code === "FST_ERR_CTP_INVALID_JSON_BODY"
              ? "Malformed JSON body"
              : error.code === "FST_ERR_CTP_EMPTY_JSON_BODY"
                ? "Empty JSON body"
                : fastifyStatus === 429
                  ? "Too many requests, slow down"
                  : error.message;
      return send(fastifyStatus, { detail });
    }
    const inputError = databaseInputError(error);
    if (inputError) return send(inputError.status, { detail: inputError.detail });
    if (isDatabaseUnavailable(error)) {
      reply.header("retry-after", "5");
      void logFailure(request, error, "database", "critical", ErrorCodes.dbConnection);
      return send(503, { detail: "Database unavailable, try again shortly" });
    }
    request.log.error({ err: error }, "unhandled error");
    await logFailure(request, error, "api", "error", ErrorCodes.apiInternal);
    return send(500, { detail: "Internal server error" });
  });
}

/** Parsed JSON or a parsed query string (whose prototype is itself a null-prototype object), never a stream. */
const isPlainObject = (v: unknown) => {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
};

/** Whether a string (or key) anywhere in `value` holds a NUL character; an explicit stack, so any depth is fine. */
export function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (value === null || typeof value !== "object") return false;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (v.includes("\u0000")) return true;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (isPlainObject(v)) {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        if (!Object.hasOwn(o, k)) continue;
        if (k.includes("\u0000")) return true;
        const child = o[k];
        if (child !== null && (typeof child === "object" || typeof child === "string")) stack.push(child);
      }
    }
  }
  return false;
}

/**
 * The dotted path of the first string (or key) holding a NUL character, "" for the value itself, or undefined.
 * Iterative with parent links, so a 10 000-level body costs linear time and no stack.
 */
export function nulField(value: unknown): string | undefined {
  const nodes: { value: unknown; parent: number; key: string }[] = [{ value, parent: -1, key: "" }];
  const pathOf = (i: number, key?: string) => {
    const parts: string[] = key === undefined ? [] : [key];
    for (let n = i; n > 0; n = nodes[n]?.parent ?? 0) parts.unshift(nodes[n]?.key ?? "");
    return parts.join(".");
  };
  for (let i = 0; i < nodes.length; i++) {
    const v = (nodes[i] as (typeof nodes)[number]).value;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return pathOf(i);
    } else if (Array.isArray(v) || isPlainObject(v)) {
      // Parsed JSON only: a streamed body (an upload chunk) is the raw request, whose object graph is cyclic.
      for (const [k, child] of Object.entries(v as object)) {
        if (k.includes("\u0000")) return pathOf(i, k);
        nodes.push({ value: child, parent: i, key: k });
      }
    }
  }
  return undefined;
}

async function logFailure(
  request: FastifyRequest,
  error: unknown,
  category: "api" | "database",
  severity: "error" | "critical",
  code: string,
) {
  const ctx = requestContext(request);
  const actor = request.actor;
  await logError(ctx, {
    category,
    severity,
    errorCode: code,
    message: error instanceof Error ? error.message : String(error),
    error,
    endpoint: request.url.split("?")[0] ?? null,
    userId: actor?.kind === "user" ? String(actor.userId) : null,
    deviceId: actor?.kind === "device" ? actor.deviceId : null,
    context: { method: request.method, route: request.routeOptions?.url ?? null },
  });
}
