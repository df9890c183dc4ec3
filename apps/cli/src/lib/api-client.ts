import { CliError } from "./cli-error.ts";

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

/** A small JSON client for a HOMEPOT server (no retries: callers decide what a failure means). */
export class ApiClient {
  readonly base: string;
  token: string | undefined;

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
  }

  /** `path` is relative to the server root (e.g. "/api/v1/sites"). Network failures answer status 0. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; auth?: boolean } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {
      "user-agent": this.userAgent,
      accept: "application/json",
      ...options.headers,
    };
    if (options.auth !== false && this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers["content-type"] ??= "application/json";
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const started = performance.now();
    try {
      const res = await fetch(`${this.base}${path}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      let parsed: unknown = text;
      if (text && (res.headers.get("content-type") ?? "").includes("json")) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      this.stats.record(res.status);
      return { status: res.status, body: parsed as T, ms: performance.now() - started };
    } catch (error) {
      this.stats.record(0);
      return {
        status: 0,
        body: { detail: error instanceof Error ? error.message : String(error) } as T,
        ms: performance.now() - started,
      };
    }
  }

  /** Signs in and keeps the bearer token; a wrong password is a CLI error (exit 1). */
  async login(email: string, password: string): Promise<{ role: string; username: string }> {
    const res = await this.request<{
      data?: { access_token?: string; role?: string; username?: string };
      detail?: unknown;
    }>("POST", "/api/v1/auth/login", {
      body: { email, password },
      auth: false,
    });
    if (res.status === 0) throw new CliError(`cannot reach ${this.base}: ${detailOf(res.body)}`);
    if (res.status !== 200 || !res.body.data?.access_token)
      throw new CliError(`login as ${email} failed (${res.status}): ${detailOf(res.body)}`);
    this.token = res.body.data.access_token;
    return { role: res.body.data.role ?? "viewer", username: res.body.data.username ?? email };
  }
}

export function detailOf(body: unknown): string {
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
