/**
 * Exponential backoff with full jitter (a random delay between 0 and the capped exponential), so a
 * fleet that lost the server at the same moment does not return at the same moment.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 1_000,
    private readonly capMs = 5 * 60_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next try after one more failure. */
  fail(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.max(this.baseMs / 10, Math.floor(this.random() * ceiling));
  }

  succeed(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}
