import { type Answer, type CallArgs, type CallInput, HomepotClient, NetworkError } from "@homepot/contracts/client";
import type { EndpointKey } from "@homepot/contracts/endpoints";
import { CliError } from "./cli-error.ts";

/** No answer from the server (refused, DNS, timeout). */
export interface NoAnswer {
  ok: false;
  status: 0;
  body: { detail: string };
  ms: number;
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  ms: number;
}

/** Counts what a client did, by status class, for progress lines and summaries. */
export class RequestStats {
  total = 0;
  byClass: Record<string, number> = {};
  networkErrors = 0;

  record(status: number): void {
    this.total += 1;
    const k = status === 0 ? "network" : `${Math.floor(status / 100)}xx`;
    this.byClass[k] = (this.byClass[k] ?? 0) + 1;
    if (status === 0) this.networkErrors += 1;
  }

  summary(): string {
    return Object.entries(this.byClass)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  }
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Send the signed-in user's bearer token (default). */
  auth?: boolean;
}

/**
 * The CLI's client of a HOMEPOT server, on the shared typed client of packages/contracts (no retries: callers
 * decide what a failure means). Network failures answer status 0 with the reason as `detail`.
 */
export class ApiClient {
  readonly base: string;
  token: string | undefined;
  private readonly http: HomepotClient;

  constructor(
    server: string,
    readonly stats = new RequestStats(),
    readonly userAgent = "homepot-cli",
  ) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new CliError(`--server must be a URL like http://127.0.0.1:8000 (got "${server}")`, 2);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new CliError("--server must be an http:// or https:// URL", 2);
    this.base = url.toString().replace(/\/+$/, "");
    this.http = new HomepotClient({ baseUrl: this.base, timeoutMs: 30_000 });
  }

  /** A typed call of one endpoint under /api/v1; the body is typed when the status is 2xx. */
  call<K extends EndpointKey>(endpoint: K, input: CallInput<K>, options: RequestOptions = {}): Promise<Answer<K>> {
    const headers = { ...input.headers, ...this.headers(options) };
    // The input's type was checked at the call; the shared client's tuple form cannot see it through K.
    return this.counted(() => this.http.answer(endpoint, ...([{ ...input, headers }] as CallArgs<K>)));
  }

  /** Any request; `path` is relative to the server root (e.g. "/api/v1/sites"). */
  request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions & { body?: unknown; rawBody?: string } = {},
  ): Promise<ApiResponse<T>> {
    return this.counted(() =>
      this.http.send(method, path, { body: options.body, rawBody: options.rawBody, headers: this.headers(options) }),
    ) as Promise<ApiResponse<T>>;
  }

  private headers(options: RequestOptions): Record<string, string> {
    const headers: Record<string, string> = { "user-agent": this.userAgent, ...options.headers };
    if (options.auth !== false && this.token) headers.authorization = `Bearer ${this.token}`;
    return headers;
  }

  /** Counts the answer's status; no answer at all is status 0 with the reason as `detail`. */
  private async counted<R extends { status: number }>(send: () => Promise<R>): Promise<R | NoAnswer> {
    const started = performance.now();
    try {
      const res = await send();
      this.stats.record(res.status);
      return res;
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      this.stats.record(0);
      const reason = error.message.slice(error.message.indexOf(": ") + 2);
      return { ok: false, status: 0, body: { detail: reason }, ms: performance.now() - started };
    }
  }

  /** Signs in with a password or uses an API token (checked with /auth/me); a refusal is a CLI error (exit 1). */
  async signIn(credentials: Credentials): Promise<{ role: string; username: string }> {
    if (!("token" in credentials)) return this.login(credentials.email, credentials.password);
    this.token = credentials.token;
    const res = await this.request<{ data?: { role?: string; username?: string } }>("GET", "/api/v1/auth/me");
    if (res.status === 0) throw new CliError(`cannot reach ${this.base}: ${detailOf(res.body)}`);
    if (res.status !== 200) throw new CliError(`HOMEPOT_TOKEN was refused (${res.status}): ${detailOf(res.body)}`);
    return { role: res.body.data?.role ?? "viewer", username: res.body.data?.username ?? "token" };
  }

  /** Signs in and keeps the bearer token; a wrong password is a CLI error (exit 1). */
  async login(email: string, password: string): Promise<{ role: string; username: string }> {
    const res = await this.call("POST /auth/login", { body: { email, password } }, { auth: false });
    if (res.status === 0) throw new CliError(`cannot reach ${this.base}: ${detailOf(res.body)}`);
    if (!res.ok || res.status !== 200 || !res.body?.data?.access_token)
      throw new CliError(`login as ${email} failed (${res.status}): ${detailOf(res.body)}`);
    this.token = res.body.data.access_token;
    return { role: res.body.data.role ?? "viewer", username: res.body.data.username ?? email };
  }
}

export function detailOf(body: unknown): string {
  if (body === null) return "";
  if (body && typeof body === "object" && "detail" in body) {
    const d = (body as { detail: unknown }).detail;
    return typeof d === "string" ? d : JSON.stringify(d);
  }
  return typeof body === "string" ? body.slice(0, 200) : JSON.stringify(body).slice(0, 200);
}

/** "60s", "2m", "1h", "1500ms" or plain seconds → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError(`${flag} must be a duration like 30s, 2m or 1h (got "${text}")`, 2);
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  const ms = unit === "ms" ? n : unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : n * 3_600_000;
  if (!(ms > 0)) throw new CliError(`${flag} must be greater than zero`, 2);
  return Math.round(ms);
}

export type Credentials = { email: string; password: string } | { token: string };

/** --email/--password, else an API token in HOMEPOT_TOKEN, else HOMEPOT_ADMIN_EMAIL / HOMEPOT_ADMIN_PASSWORD. */
export function serverCredentials(values: { email?: string; password?: string }): Credentials | undefined {
  const token = process.env.HOMEPOT_TOKEN?.trim();
  if (token && values.email === undefined && values.password === undefined) return { token };
  return operatorCredentials(values);
}

/** The flags of a command that signs in to a server: --server (default $HOMEPOT_SERVER), --email, --password. */
export const serverOptions = {
  server: { type: "string", default: process.env.HOMEPOT_SERVER ?? "http://127.0.0.1:8000" },
  email: { type: "string" },
  password: { type: "string" },
} as const;

/**
 * A client (`userAgent` in its requests) signed in with serverCredentials, and those credentials (to sign in again
 * on a long run); without any, a CLI error: `needed` (e.g. "an admin account is needed") and where to give one.
 */
export async function signedInClient(
  values: { server: string; email?: string; password?: string },
  userAgent: string,
  needed: string,
): Promise<{ client: ApiClient; credentials: Credentials }> {
  const credentials = serverCredentials(values);
  if (!credentials)
    throw new CliError(
      `${needed}: --email and --password, HOMEPOT_TOKEN, or HOMEPOT_ADMIN_EMAIL and HOMEPOT_ADMIN_PASSWORD`,
      2,
    );
  const client = new ApiClient(values.server, undefined, userAgent);
  await client.signIn(credentials);
  return { client, credentials };
}

/** Credentials from flags, else HOMEPOT_ADMIN_EMAIL / HOMEPOT_ADMIN_PASSWORD. */
export function operatorCredentials(values: {
  email?: string;
  password?: string;
}): { email: string; password: string } | undefined {
  const email = values.email ?? process.env.HOMEPOT_ADMIN_EMAIL;
  const password = values.password ?? process.env.HOMEPOT_ADMIN_PASSWORD;
  if ((email === undefined) !== (password === undefined))
    throw new CliError("give both --email and --password (or HOMEPOT_ADMIN_EMAIL and HOMEPOT_ADMIN_PASSWORD)", 2);
  return email && password ? { email, password } : undefined;
}
