// Minimal typings for autocannon 8 (it ships none): only what bench/ uses.
declare module "autocannon" {
  interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    total: number;
  }
  interface Result {
    requests: Histogram & { sent: number };
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    duration: number;
    "2xx": number;
  }
  interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    pipelining?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    requests?: Request[];
    /** Called once per connection (e.g. to give each connection its own device headers). */
    setupClient?: (client: { setHeaders(headers: Record<string, string>): void; setBody(body: string): void }) => void;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
