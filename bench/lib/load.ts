import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  durationS: number;
  /** Called every 250 ms while the load runs (e.g. to sample the server's memory). */
  onTick?: () => void;
}

export interface LoadResult {
  rps: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** HTTP load on loopback with autocannon, bounded in time. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const ticker = options.onTick ? setInterval(options.onTick, 250) : undefined;
  try {
    const result = await autocannon({
      url: options.url,
      method: options.method ?? "GET",
      headers: options.headers ?? {},
      ...(options.body === undefined ? {} : { body: options.body }),
      connections: options.connections ?? 20,
      duration: options.durationS,
      timeout: 10,
    });
    return {
      rps: result.requests.average,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  } finally {
    if (ticker) clearInterval(ticker);
  }
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
