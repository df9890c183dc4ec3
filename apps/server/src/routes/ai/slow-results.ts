import type { Actor } from "@homepot/core";

/** A result that took at least this long to compute is worth reusing. */
const SLOW_MS = 2_000;
const MAX_ENTRIES = 500;

/**
 * Whole-fleet insights (at-risk devices, the health forecast, anomalies) take seconds to minutes on a fleet of
 * 100 000 devices, and the Overview asks for them every minute in every open browser. Here a result that took at
 * least SLOW_MS is reused for `reuseMs` by callers who may see exactly the same devices and ask the same question,
 * and callers asking while it is being computed share that one computation instead of starting another. Fast
 * results (small fleets) are never reused, so they stay exact. Time here is real time: it measures work.
 *
 * At most `maxRunning` computations run at once (HOMEPOT_INSIGHTS_CONCURRENCY); the others wait their turn in
 * order. Each holds several database connections while it runs, so without the bound a few browsers' insights
 * would take the whole pool and every light request (the Overview's counts, the device list) would queue behind them.
 */
export class SlowResults {
  private readonly kept = new Map<string, { at: number; value: unknown }>();
  private readonly running = new Map<string, Promise<unknown>>();
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly slowMs = SLOW_MS,
    /** How long a slow result is reused (HOMEPOT_INSIGHTS_REUSE_S); 0: never, though concurrent callers still share. */
    private readonly reuseMs = 60_000,
    private readonly maxRunning = Number.POSITIVE_INFINITY,
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.kept.get(key);
    if (hit && Date.now() - hit.at < this.reuseMs) return Promise.resolve(hit.value as T);
    const running = this.running.get(key);
    if (running) return running as Promise<T>;
    const run = async () => {
      const started = Date.now();
      try {
        const value = await compute();
        const finished = Date.now();
        if (finished - started >= this.slowMs) this.keep(key, finished, value);
        return value;
      } finally {
        this.next();
      }
    };
    // With a turn free the computation starts now; otherwise once an earlier one ends.
    let pending: Promise<T>;
    if (this.active < this.maxRunning) {
      this.active += 1;
      pending = run();
    } else pending = this.turn().then(run);
    const work = pending.finally(() => this.running.delete(key));
    this.running.set(key, work);
    return work;
  }

  /** How many computations wait for a turn now. */
  get queued(): number {
    return this.waiting.length;
  }

  private turn(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A computation ended: the longest waiting one takes its turn, else one fewer runs. */
  private next(): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter();
    else this.active -= 1;
  }

  private keep(key: string, at: number, value: unknown): void {
    this.kept.delete(key);
    this.kept.set(key, { at, value });
    // Oldest first in a Map's order: drop the oldest beyond the bound.
    for (const old of this.kept.keys()) {
      if (this.kept.size <= MAX_ENTRIES) break;
      this.kept.delete(old);
    }
  }
}

/** What decides the answer: the question and everything the caller may see (a changed membership is a new key). */
export function slowResultKey(route: string, query: unknown, actor: Actor | undefined): string {
  const who =
    actor?.kind === "user"
      ? {
          everywhere: actor.access?.everywhere ?? null,
          platform: actor.access?.platform ?? false,
          tenants: [...(actor.access?.tenants ?? [])].sort(),
          sites: [...(actor.access?.sites ?? [])].sort(),
          role: actor.role,
        }
      : { kind: actor?.kind ?? "system" };
  return JSON.stringify([route, query, who]);
}
