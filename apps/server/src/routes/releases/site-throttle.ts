import { Transform } from "node:stream";

/**
 * Per-site download rate limit: every download of one site draws from one token bucket of `bytesPerS`
 * (HOMEPOT_RELEASE_SITE_KBPS), so a store's link is shared, not saturated, however many tills fetch at once.
 */
export class SiteThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly bytesPerS: number) {}

  get enabled(): boolean {
    return this.bytesPerS > 0;
  }

  /** Milliseconds to wait before `bytes` more may go to `siteId`. */
  private reserve(siteId: string, bytes: number): number {
    const now = Date.now();
    const bucket = this.buckets.get(siteId) ?? { tokens: this.bytesPerS, at: now };
    bucket.tokens = Math.min(this.bytesPerS, bucket.tokens + ((now - bucket.at) / 1000) * this.bytesPerS) - bytes;
    bucket.at = now;
    this.buckets.set(siteId, bucket);
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / this.bytesPerS) * 1000);
  }

  /** A pass-through stream that holds each chunk until the site's bucket allows it. */
  stream(siteId: string): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        const wait = this.reserve(siteId, chunk.length);
        if (wait === 0) done(null, chunk);
        else setTimeout(() => done(null, chunk), wait);
      },
    });
  }
}
