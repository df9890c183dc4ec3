/** The one way the dashboard talks to the server: JSON over /api/v1, cookie session, `{detail}` errors. */

export const API_PREFIX = "/api/v1";

export interface FieldError {
  field: string;
  location: string;
  message: string;
}

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

type Query = Record<string, string | number | boolean | undefined | null>;

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

export function buildUrl(path: string, query?: Query): string {
  const url = `${API_PREFIX}${path.startsWith("/") ? path : `/${path}`}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

function detailText(detail: unknown): string {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail))
    return detail.map((d) => (typeof d === "object" && d && "msg" in d ? String(d.msg) : String(d))).join("; ");
  if (detail && typeof detail === "object") return JSON.stringify(detail);
  return "";
}

export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, query, signal } = options;
  const url = buildUrl(path, query);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: "include",
      headers:
        body === undefined
          ? { accept: "application/json" }
          : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "The server cannot be reached. Check your connection.", [], path);
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const record = (data ?? {}) as { detail?: unknown; errors?: FieldError[] };
    const detail = detailText(record.detail) || `${response.status} ${response.statusText}`;
    if (response.status === 401 && !path.startsWith("/auth/login"))
      for (const listener of unauthorizedListeners) listener();
    throw new ApiError(response.status, detail, record.errors ?? [], path);
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>(path, { query, signal });
export const post = <T>(path: string, body?: unknown) => api<T>(path, { method: "POST", body: body ?? {} });
export const put = <T>(path: string, body?: unknown) => api<T>(path, { method: "PUT", body: body ?? {} });
export const del = <T>(path: string) => api<T>(path, { method: "DELETE" });

/** `{success, count, <plural>: [...]}` */
export type ListResponse<K extends string, T> = {
  success: boolean;
  count: number;
  total?: number;
  next_cursor?: string | null;
} & { [P in K]: T[] };
export type WriteResponse<T = unknown> = { success: boolean; message: string; data?: T };
