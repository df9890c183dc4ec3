import {
  type Answer,
  type CallArgs,
  type CallInput,
  HomepotClient,
  NetworkError as SharedNetworkError,
} from "@homepot/contracts/client";
import type { EndpointKey } from "@homepot/contracts/endpoints";

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

  /** A typed call of one endpoint under /api/v1 (device headers unless `device: false`); any status answers. */
  call<K extends EndpointKey>(endpoint: K, input: CallInput<K>, options: CallOptions = {}): Promise<Answer<K>> {
    return this.unreachableAsNetworkError(() =>
      // The input's type was checked at the call; the shared client's tuple form cannot see it through K.
      this.http.answer(endpoint, ...([{ ...input, ...this.requestOptions(options) }] as CallArgs<K>)),
    );
  }

  /** A request outside the endpoint map (the liveness probe `health`); any status answers. */
  async request(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
    const res = await this.unreachableAsNetworkError(() => this.http.send(method, path, this.requestOptions(options)));
    return { status: res.status, body: res.body };
  }

  private requestOptions(options: CallOptions): { headers: Record<string, string>; timeoutMs: number } {
    const headers: Record<string, string> = {};
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.device !== false) Object.assign(headers, this.deviceHeaders());
    return { headers, timeoutMs: options.timeoutMs ?? this.timeoutMs };
  }

  private async unreachableAsNetworkError<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof SharedNetworkError) throw new NetworkError(error.message);
      throw error;
    }
  }
}

export interface CallOptions {
  bearer?: string;
  /** Send the device's id and key (default). */
  device?: boolean;
  timeoutMs?: number;
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
