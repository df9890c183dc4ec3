/**
 * The one HTTP client of the dashboard, the agent and the CLI. `send` is plain JSON over fetch (any path, any
 * answer); `call` is typed by the endpoint map: `call("GET /devices/{device_id}", {params: {device_id}})` answers
 * the route's response type and throws `ApiError` on a non-2xx. Only types come from the schemas (`import type`),
 * so a browser bundle carries no zod and no server code.
 */
import type { z } from "zod";
import type { EndpointKey, Endpoints } from "./endpoints.ts";

export const API_PREFIX = "/api/v1";

export interface FieldError {
  field: string;
  location: string;
  message: string;
}

/** A non-2xx answer: its status, the server's `detail` as text, and the fields it named. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly fields: FieldError[] = [],
    readonly path = "",
  ) {
    super(detail);
    this.name = "ApiError";
  }

  /** The server has no such route at all (an API not built yet), as opposed to a missing record. */
  get isMissingRoute(): boolean {
    return this.status === 404 && /^Not found: [A-Z]+ \//.test(this.detail);
  }
}

/** The server could not be reached (refused, DNS, timeout): no HTTP answer at all. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NetworkError";
  }
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface SendOptions {
  query?: Query | undefined;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (a deliberately malformed body, a file's chunk); content-type defaults to JSON. */
  rawBody?: string | Blob | undefined;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export interface RawResponse {
  status: number;
  /** Parsed JSON; the text when the answer is not JSON (a proxy's error page); null when empty. */
  body: unknown;
  ms: number;
}

export interface ClientOptions {
  /** The server's root URL (`http://127.0.0.1:8000`, may carry a path); "" for the page's own origin. */
  baseUrl?: string;
  /** Headers for every request (device key, bearer token, user agent); read on each request. */
  headers?: () => Record<string, string>;
  /** Per-request timeout unless a request says otherwise; none by default. */
  timeoutMs?: number;
  /** `include` in the browser, so the session cookie goes along. */
  credentials?: "include" | "same-origin" | "omit";
  /** Sees every answer's status (e.g. a 401 that ends the session), after any renewal and retry. */
  onStatus?: (status: number, path: string) => void;
  /**
   * Called on a 401: renew the session (e.g. with a refresh cookie) and answer true to have the request sent once
   * more. The dashboard refreshes silently this way, so nobody is asked to sign in while their session lives.
   */
  renewSession?: (path: string) => Promise<boolean>;
}

/** The server's `{detail}` as one line of text. */
export function detailText(detail: unknown): string {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail))
    return detail.map((d) => (typeof d === "object" && d && "msg" in d ? String(d.msg) : String(d))).join("; ");
  if (detail && typeof detail === "object") return JSON.stringify(detail);
  return "";
}

/** The ApiError of a non-2xx answer. */
export function apiErrorOf(res: RawResponse, path: string): ApiError {
  const record = (res.body && typeof res.body === "object" ? res.body : {}) as { detail?: unknown; errors?: unknown };
  const detail = detailText(record.detail) || `HTTP ${res.status}`;
  return new ApiError(res.status, detail, Array.isArray(record.errors) ? (record.errors as FieldError[]) : [], path);
}

// ---------------------------------------------------------------- types from the endpoint map

type Def<K extends EndpointKey> = Endpoints[K];
/** Query keys are checked against the schema; values go on the wire as text. */
type QueryOf<S> = S extends z.ZodType ? { [F in keyof z.output<S>]?: QueryValue | Date } : never;

export type ResponseOf<K extends EndpointKey> = z.output<Def<K>["response"]>;
/** What an endpoint takes as its body (before the server's defaults and transforms). */
export type BodyOf<K extends EndpointKey> = Def<K> extends { body: infer B extends z.ZodType } ? z.input<B> : never;
export type CallInput<K extends EndpointKey> = (Def<K> extends { params: infer P extends z.ZodType }
  ? { params: z.input<P> }
  : { params?: undefined }) &
  (Def<K> extends { query: infer Q extends z.ZodType } ? { query?: QueryOf<Q> } : { query?: undefined }) &
  (Def<K> extends { body: infer B extends z.ZodType } ? { body: z.input<B> } : { body?: undefined }) & {
    headers?: Record<string, string>;
    signal?: AbortSignal;
    timeoutMs?: number;
  };

/** `/devices/{device_id}` with `{device_id: "a b"}` → `/devices/a%20b`. */
export function fillPath(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === "") throw new Error(`${template}: ${name} is required`);
    return encodeURIComponent(String(value));
  });
}

export class HomepotClient {
  constructor(readonly options: ClientOptions = {}) {}

  /** The URL of `path` (from the server root) with `query` (empty values left out). */
  url(path: string, query?: Query | Record<string, QueryValue | Date>): string {
    const base = this.options.baseUrl ?? "";
    let url = base
      ? new URL(path.replace(/^\/+/, ""), base.endsWith("/") ? base : `${base}/`).toString()
      : path.startsWith("/")
        ? path
        : `/${path}`;
    if (query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value === undefined || value === null || value === "") continue;
        params.set(key, value instanceof Date ? value.toISOString() : String(value));
      }
      const qs = params.toString();
      if (qs) url += `${url.includes("?") ? "&" : "?"}${qs}`;
    }
    return url;
  }

  /** Any request; answers whatever the server said. Throws NetworkError when there is no answer. */
  async send(method: string, path: string, options: SendOptions = {}): Promise<RawResponse> {
    let res = await this.sendOnce(method, path, options);
    if (res.status === 401 && (await this.options.renewSession?.(path)))
      res = await this.sendOnce(method, path, options);
    this.options.onStatus?.(res.status, path);
    return res;
  }

  private async sendOnce(method: string, path: string, options: SendOptions): Promise<RawResponse> {
    const headers: Record<string, string> = {
      accept: "application/json",
      ...this.options.headers?.(),
      ...options.headers,
    };
    let body: string | Blob | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers["content-type"] ??= "application/json";
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const signals = [options.signal, timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(this.url(path, options.query), {
        method,
        headers,
        body,
        credentials: this.options.credentials,
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      });
    } catch (error) {
      // The caller's own abort stays an AbortError; everything else is "no answer".
      if (options.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new NetworkError(`${method} ${path}: ${cause ?? (error instanceof Error ? error.message : String(error))}`);
    }
    const text = await res.text().catch(() => "");
    let parsed: unknown = text || null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
    }
    return { status: res.status, body: parsed, ms: performance.now() - started };
  }

  /** A typed call of one endpoint under /api/v1 that answers any status (the body is typed when it is 2xx). */
  async answer<K extends EndpointKey>(endpoint: K, ...[input]: OptionalIfEmpty<CallInput<K>>): Promise<Answer<K>> {
    const { method, path } = routeOf(endpoint, input?.params);
    const res = await this.send(method, `${API_PREFIX}${path}`, {
      query: input?.query as Query | undefined,
      body: input?.body ?? (method === "GET" || method === "DELETE" ? undefined : {}),
      headers: input?.headers,
      signal: input?.signal,
      timeoutMs: input?.timeoutMs,
    });
    const ok = res.status >= 200 && res.status < 300;
    return ok ? { ...res, ok, body: res.body as ResponseOf<K> } : { ...res, ok };
  }

  /** A typed call of one endpoint under /api/v1; a non-2xx answer throws ApiError. */
  async call<K extends EndpointKey>(endpoint: K, ...[input]: OptionalIfEmpty<CallInput<K>>): Promise<ResponseOf<K>> {
    const res = await this.answer(endpoint, ...([input] as OptionalIfEmpty<CallInput<K>>));
    if (!res.ok) throw apiErrorOf(res, routeOf(endpoint, input?.params).path);
    return res.body;
  }
}

/** The arguments of `call(key, …)`: the input may be left out when the endpoint needs no params and no body. */
export type CallArgs<K extends EndpointKey> = OptionalIfEmpty<CallInput<K>>;

/** A typed call's answer: the response type on 2xx, whatever the server said otherwise. */
export type Answer<K extends EndpointKey> =
  | { ok: true; status: number; body: ResponseOf<K>; ms: number }
  | { ok: false; status: number; body: unknown; ms: number };

/** `"GET /devices/{device_id}"` with its params → the method and the filled path (under /api/v1). */
export function routeOf(endpoint: EndpointKey, params: unknown): { method: string; path: string } {
  const space = endpoint.indexOf(" ");
  return {
    method: endpoint.slice(0, space),
    path: fillPath(endpoint.slice(space + 1), (params ?? {}) as Record<string, unknown>),
  };
}

/** `call(key)` without an input when the endpoint needs no params and no body. */
type OptionalIfEmpty<I> = I extends { params: unknown } | { body: unknown } ? [input: I] : [input?: I];
