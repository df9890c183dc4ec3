import { RateLimitedError } from "@homepot/core/errors";

const HOUR_MS = 3600_000;

/**
 * Rows and bytes of error reports accepted per source (a signed-in user, else the client address) per clock
 * hour. The per-minute request limit alone let one address store ~230 MB a minute; past either cap the source
 * gets 429 until the hour turns. In memory, per instance: a flood guard, not accounting.
 */
export class IntakeQuota {
  private window = -1;
  private readonly used = new Map<string, { rows: number; bytes: number }>();

  constructor(
    private readonly maxRows: number,
    private readonly maxBytes: number,
  ) {}

  /** Counts a report against `source`, or throws RateLimitedError when it would exceed a cap. */
  charge(source: string, rows: number, bytes: number, now: Date): void {
    const t = now.getTime();
    const window = Math.floor(t / HOUR_MS);
    if (window !== this.window) {
      this.window = window;
      this.used.clear();
    }
    const used = this.used.get(source) ?? { rows: 0, bytes: 0 };
    if (used.rows + rows > this.maxRows || used.bytes + bytes > this.maxBytes) {
      const retryAfterS = Math.max(1, Math.ceil(((window + 1) * HOUR_MS - t) / 1000));
      throw new RateLimitedError(
        `Error report quota reached (${this.maxRows} reports or ${Math.round(this.maxBytes / 1024 / 1024)} MB per hour); try again later`,
        retryAfterS,
      );
    }
    this.used.set(source, { rows: used.rows + rows, bytes: used.bytes + bytes });
  }
}
