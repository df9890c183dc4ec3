/** The one way the dashboard talks to the server: JSON over /api/v1, cookie session, `{detail}` errors. */

import {
  API_PREFIX,
  ApiError,
  apiErrorOf,
  type CallArgs,
  HomepotClient,
  NetworkError,
  type Query,
  type ResponseOf,
} from "@homepot/contracts/client";
import type { EndpointKey } from "@homepot/contracts/endpoints";

export { API_PREFIX, ApiError, type FieldError } from "@homepot/contracts/client";

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

const unauthorizedListeners = new Set<() => void>();
/** Called when any request answers 401 (the session expired or was revoked). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Paths a 401 of which is an answer, not an expired access token (signing in, refreshing itself). */
const NO_RENEW = ["/auth/login", "/auth/signup", "/auth/register", "/auth/refresh", "/auth/logout"];
let renewing: Promise<boolean> | undefined;
/**
 * The access token lives 15 minutes: on a 401 the dashboard renews it once with the httpOnly refresh cookie (one
 * renewal shared by every request that failed meanwhile) and the request is sent again.
 */
async function renewSession(path: string): Promise<boolean> {
  if (NO_RENEW.some((p) => path.startsWith(`${API_PREFIX}${p}`))) return false;
  renewing ??= fetch(`${API_PREFIX}/auth/refresh`, { method: "POST", credentials: "include" })
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => {
      setTimeout(() => {
        renewing = undefined;
      }, 1000);
    });
  return renewing;
}

/** The shared typed client (packages/contracts/src/client.ts) on this origin, with the session cookie. */
export const client = new HomepotClient({
  baseUrl: "",
  credentials: "include",
  renewSession,
  onStatus: (status, path) => {
    if (status === 401 && !path.startsWith(`${API_PREFIX}/auth/login`))
      for (const listener of unauthorizedListeners) listener();
  },
});

export function buildUrl(path: string, query?: Query): string {
  return client.url(`${API_PREFIX}${path.startsWith("/") ? path : `/${path}`}`, query);
}

/** Any failure as the ApiError the dashboard shows (a thrown string or a TypeError becomes status 0). */
export function toApiError(error: unknown, path = ""): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof NetworkError)
    return new ApiError(0, "The server cannot be reached. Check your connection.", [], path);
  return new ApiError(0, error instanceof Error ? error.message : String(error), [], path);
}

/** A form's own refusal, shown like the server's: "Please check: <field>: <message>". */
export function invalidField(field: string, message: string): ApiError {
  return new ApiError(400, `${field} is ${message}`, [{ field, location: "body", message }]);
}

/** The server's complaint about a form field (or a part of it, `field.x`), if `error` names one: `fieldErrorOf(error)("name")`. */
export const fieldErrorOf = (error: ApiError | undefined) => (field: string) =>
  error?.fields.find((f) => f.field === field || f.field.startsWith(`${field}.`))?.message;

/** The JSON a user typed in a form field (undefined when left empty); throws `invalidField` when it is not JSON. */
export function parseJsonField(text: string, field: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw invalidField(field, "not valid JSON");
  }
}

/** The caller's abort (a page left, a query changed): not an error to show. */
export const isAbort = (error: unknown) => error instanceof DOMException && error.name === "AbortError";

/** Rethrows what `api`/`call` must not hide (an abort) and turns the rest into ApiError. */
function rethrow(error: unknown, path: string): never {
  throw isAbort(error) ? error : toApiError(error, path);
}

export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, query, signal } = options;
  const full = `${API_PREFIX}${path.startsWith("/") ? path : `/${path}`}`;
  try {
    const res = await client.send(method, full, { query, body, signal });
    if (res.status < 200 || res.status >= 300) throw apiErrorOf(res, path);
    return (res.body ?? undefined) as T;
  } catch (error) {
    rethrow(error, path);
  }
}

/** A typed call of one endpoint of packages/contracts/src/endpoints.ts (answers the route's response type). */
export async function call<K extends EndpointKey>(endpoint: K, ...args: CallArgs<K>): Promise<ResponseOf<K>> {
  try {
    return await client.call(endpoint, ...args);
  } catch (error) {
    rethrow(error, endpoint);
  }
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>(path, { query, signal });
export const post = <T>(path: string, body?: unknown) => api<T>(path, { method: "POST", body: body ?? {} });
export const put = <T>(path: string, body?: unknown) => api<T>(path, { method: "PUT", body: body ?? {} });
export const del = <T>(path: string) => api<T>(path, { method: "DELETE" });
export const patch = <T>(path: string, body?: unknown) => api<T>(path, { method: "PATCH", body: body ?? {} });

/** `{success, count, <plural>: [...]}` */
export type ListResponse<K extends string, T> = {
  success: boolean;
  count: number;
  total?: number;
  next_cursor?: string | null;
} & { [P in K]: T[] };
export type WriteResponse<T = unknown> = { success: boolean; message: string; data?: T };

/** PATCH one chunk of a release upload at `offset` (raw bytes); answers the server's offset after it. */
export async function sendUploadChunk(uploadId: string, offset: number, chunk: Blob): Promise<number> {
  const path = `/releases/uploads/${encodeURIComponent(uploadId)}`;
  try {
    const res = await client.send("PATCH", `${API_PREFIX}${path}`, {
      rawBody: chunk,
      headers: { "content-type": "application/offset+octet-stream", "upload-offset": String(offset) },
    });
    if (res.status !== 200) throw apiErrorOf(res, path);
    return (res.body as { data: { offset: number } }).data.offset;
  } catch (error) {
    rethrow(error, path);
  }
}
