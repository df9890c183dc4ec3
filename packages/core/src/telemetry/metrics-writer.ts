import type { Db } from "@homepot/db";
import type { Logger } from "../context.ts";
import { type MetricRow, storeMetrics } from "./metrics.repository.ts";

interface Request {
  rows: readonly MetricRow[];
  deviceId: string;
  seenAt: Date;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface MetricsWriterOptions {
  /** Rows per transaction, at most (whole requests are never split). */
  maxBatchRows?: number;
  /** Transactions in flight at once (1 for the embedded database, which has one connection). */
  maxInFlight?: number;
  /** last_seen is rewritten only when it moved by at least this much. */
  lastSeenResolutionS?: number;
}

/**
 * Group commit for telemetry: samples of concurrent requests are written together in one transaction
 * (one statement: insert + last_seen update), and each request's promise resolves only after that
 * transaction committed — nothing is acknowledged before it is durable, and under load the database
 * sees a few large statements instead of one small transaction per request.
 */
export class MetricsWriter {
  private queue: Request[] = [];
  private inFlight = 0;
  private closed = false;
  private scheduled = false;
  private readonly maxBatchRows: number;
  private readonly maxInFlight: number;
  private readonly resolutionS: number;
  private idle: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    options: MetricsWriterOptions = {},
  ) {
    this.maxBatchRows = options.maxBatchRows ?? 10_000;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.resolutionS = options.lastSeenResolutionS ?? 1;
  }

  /** Resolves once `rows` are committed (and the device's last_seen with them). */
  write(rows: readonly MetricRow[], deviceId: string, seenAt: Date): Promise<void> {
    if (this.closed) return Promise.reject(new Error("metrics writer is closed"));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, deviceId, seenAt, resolve, reject });
      // Let the requests already parsed in this turn of the event loop join the batch.
      if (!this.scheduled && this.inFlight < this.maxInFlight) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        if (this.queue.length > 0) this.pump();
        else if (this.inFlight === 0) for (const done of this.idle.splice(0)) done();
      });
    }
  }

  private take(): Request[] {
    let rows = 0;
    let n = 0;
    while (n < this.queue.length) {
      const size = this.queue[n]?.rows.length ?? 0;
      if (n > 0 && rows + size > this.maxBatchRows) break;
      rows += size;
      n += 1;
    }
    return this.queue.splice(0, n);
  }

  private async flush(batch: Request[]): Promise<void> {
    const rows: MetricRow[] = [];
    const seen = new Map<string, Date>();
    for (const r of batch) {
      for (const row of r.rows) rows.push(row);
      const before = seen.get(r.deviceId);
      if (!before || before < r.seenAt) seen.set(r.deviceId, r.seenAt);
    }
    try {
      await storeMetrics(this.db, rows, seen, this.resolutionS);
      for (const r of batch) r.resolve();
    } catch (error) {
      if (batch.length === 1) {
        this.logger.error({ err: error, rows: rows.length }, "telemetry write failed");
        batch[0]?.reject(error);
        return;
      }
      // Whatever failed the shared statement (a value the database refuses, a document JSON.stringify cannot
      // serialise, a lost connection) must fail only the request that caused it: retry them one by one.
      this.logger.warn(
        { err: error, requests: batch.length },
        "telemetry batch failed; retrying its requests separately",
      );
      for (const r of batch) await this.flush([r]);
    }
  }

  /** Writes what is queued and waits for every transaction in flight. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.queue.length > 0) this.pump();
    if (this.inFlight === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
