import type { Clock } from "../context.ts";

/**
 * One timer for the whole fleet: a binary min-heap of due times. 10 000 devices are 10 000 heap
 * entries, not 10 000 setIntervals; the fleet pops whatever is due on each tick.
 */
export class TimerQueue<T> {
  private readonly dues: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: T[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  /** Due time of the earliest entry, or undefined when empty. */
  peekDue(): number | undefined {
    return this.dues[0];
  }

  push(due: number, item: T): void {
    this.dues.push(due);
    this.seqs.push(this.seq++);
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  /** Removes and returns the earliest entry if it is due at or before `now`. */
  popDue(now: number): { due: number; item: T } | undefined {
    const due = this.dues[0];
    if (due === undefined || due > now) return undefined;
    const item = this.items[0] as T;
    const last = this.items.length - 1;
    this.swap(0, last);
    this.dues.pop();
    this.seqs.pop();
    this.items.pop();
    if (this.items.length > 0) this.down(0);
    return { due, item };
  }

  private less(a: number, b: number): boolean {
    const da = this.dues[a] as number;
    const db = this.dues[b] as number;
    return da < db || (da === db && (this.seqs[a] as number) < (this.seqs[b] as number));
  }

  private swap(a: number, b: number): void {
    [this.dues[a], this.dues[b]] = [this.dues[b] as number, this.dues[a] as number];
    [this.seqs[a], this.seqs[b]] = [this.seqs[b] as number, this.seqs[a] as number];
    [this.items[a], this.items[b]] = [this.items[b] as T, this.items[a] as T];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

/** A clock that only moves when told to: tests and backtests fast-forward the fleet with it. */
export class ManualClock implements Clock {
  private t: number;

  constructor(start: Date | number = Date.UTC(2026, 0, 5, 8, 0, 0)) {
    this.t = typeof start === "number" ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  set(at: Date | number): void {
    const t = typeof at === "number" ? at : at.getTime();
    if (t < this.t) throw new Error("ManualClock cannot go back in time");
    this.t = t;
  }

  advance(ms: number): Date {
    this.set(this.t + ms);
    return this.now();
  }
}

/** Keeps the last `capacity` samples and answers percentiles over them. */
export class LagRecorder {
  private readonly samples: Float64Array;
  private next = 0;
  private count = 0;
  max = 0;

  constructor(capacity = 20_000) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.count = Math.min(this.count + 1, this.samples.length);
    if (ms > this.max) this.max = ms;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    const sorted = Array.from(this.samples.subarray(0, this.count)).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  }

  get size(): number {
    return this.count;
  }

  reset(): void {
    this.next = 0;
    this.count = 0;
    this.max = 0;
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let i = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) {
      const index = i++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

/** At most `limit` tasks at once across all callers (e.g. database writes from overlapping batches). */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}
