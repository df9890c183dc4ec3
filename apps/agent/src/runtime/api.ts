import { HomepotClient, NetworkError as SharedNetworkError } from "@homepot/contracts/client";

/** Talks HTTP to the HOMEPOT server (through the shared client of packages/contracts); never logs or returns the key. */
export const AGENT_VERSION = "0.1.0";

export class NetworkError extends Error {}

/** The device key was refused (revoked, rotated out, or wrong): retrying cannot help. */
export class KeyRejectedError extends Error {}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface DeviceIdentity {
  deviceId: string;
  apiKey: string;
}

export class ApiClient {
  constructor(
    readonly server: string,
    private readonly identity?: DeviceIdentity,
    private readonly timeoutMs = 15_000,
  ) {
    this.http = new HomepotClient({
      baseUrl: server,
      headers: () => ({ "user-agent": `homepot-agent/${AGENT_VERSION}` }),
    });
  }

  private readonly http: HomepotClient;

  /** What must never leak into a command's environment or output. */
  secrets(): string[] {
    return this.identity ? [this.identity.apiKey] : [];
  }

  get deviceId(): string | undefined {
    return this.identity?.deviceId;
  }

  url(path: string): string {
    return new URL(path, this.server.endsWith("/") ? this.server : `${this.server}/`).toString();
  }

  /** Headers of a device call, for requests to the server's own origin only. */
  deviceHeaders(): Record<string, string> {
    if (!this.identity) return {};
    return { "x-device-id": this.identity.deviceId, "x-api-key": this.identity.apiKey };
  }

  sameOrigin(url: string): boolean {
    return new URL(url).origin === new URL(this.server).origin;
  }

  async request(
    method: string,
    path: string,
    options: { body?: unknown; bearer?: string; device?: boolean; timeoutMs?: number } = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.device !== false) Object.assign(headers, this.deviceHeaders());
    try {
      const res = await this.http.send(method, path, {
        body: options.body,
        headers,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
      });
      return { status: res.status, body: res.body };
    } catch (error) {
      if (error instanceof SharedNetworkError) throw new NetworkError(error.message);
      throw error;
    }
  }
}

/** The server's `{detail}` message, or the status. */
export function detailOf(res: ApiResponse): string {
  const b = res.body as { detail?: unknown } | null;
  if (b && typeof b === "object" && "detail" in b)
    return typeof b.detail === "string" ? b.detail : JSON.stringify(b.detail);
  return `HTTP ${res.status}`;
}

/** 5xx, 429 and network trouble are worth retrying later; other answers are final. */
export const isRetryable = (status: number) => status >= 500 || status === 429 || status === 408;
