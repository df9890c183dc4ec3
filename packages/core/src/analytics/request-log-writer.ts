import { apiRequestLogs, type Db } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { Logger } from "../context.ts";

export type RequestLogRow = typeof apiRequestLogs.$inferInsert;

export interface RequestLogWriterOptions {
  /** Flush when this many rows are waiting. */
  maxBatch?: number;
  /** Flush at least this often (ms). */
  intervalMs?: number;
  /** Rows kept while the database is unreachable; beyond it the oldest are dropped and counted. */
  maxBuffered?: number;
}

/**
 * Buffers api_request_logs rows off the request path and writes them in multi-row inserts,
 * by size or every interval, and on close. A failed flush keeps the rows for the next one.
 */
export class RequestLogWriter {
  private buffer: RequestLogRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;
  dropped = 0;
  written = 0;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    options: RequestLogWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxBuffered = options.maxBuffered ?? 50_000;
    this.timer = setInterval(() => void this.flush(), options.intervalMs ?? 1000);
    this.timer.unref();
  }

  get pending(): number {
    return this.buffer.length;
  }

  push(row: RequestLogRow): void {
    this.buffer.push(row);
    if (this.buffer.length > this.maxBuffered) {
      const excess = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
    if (this.buffer.length >= this.maxBatch) void this.flush();
  }

  /** Writes everything buffered so far; concurrent calls share one flush. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.buffer.length === 0) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.maxBatch);
      try {
        await this.db.execute(insertSql(batch));
        this.written += batch.length;
      } catch (error) {
        this.buffer.unshift(...batch);
        this.logger.warn({ err: error, pending: this.buffer.length }, "request log flush failed; will retry");
        return;
      }
    }
  }

  /** Stops the timer and writes what is left (called on shutdown). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    if (this.buffer.length > 0) await this.flush();
  }
}

/** PostgreSQL text cannot hold NUL: drop `\u0000` escapes (not the text "\\u0000") from a JSON string. */
const stripNul = (json: string) => (json.includes("\\u0000") ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1") : json);

/**
 * The batch as ONE json parameter expanded by json_to_recordset: building a multi-row insert with the
 * query builder costs more CPU than the request it logs (a parameter object per value).
 */
function insertSql(batch: readonly RequestLogRow[]) {
  const payload = JSON.stringify(
    batch.map((r) => ({
      ts: r.timestamp ? r.timestamp.toISOString().slice(0, -1) : null,
      ep: r.endpoint,
      m: r.method,
      sc: r.statusCode,
      rt: r.responseTimeMs,
      u: r.userId ?? null,
      ip: r.ipAddress ?? null,
      ua: r.userAgent ?? null,
      em: r.errorMessage ?? null,
      rq: r.requestSizeBytes ?? null,
      rs: r.responseSizeBytes ?? null,
      ro: r.route ?? null,
      d: r.deviceId ?? null,
    })),
  );
  return sql`insert into ${apiRequestLogs} (timestamp, endpoint, method, status_code, response_time_ms, user_id, ip_address, user_agent,
      error_message, request_size_bytes, response_size_bytes, route, device_id)
    select coalesce(t.ts, now() at time zone 'utc'), t.ep, t.m, t.sc, t.rt, t.u, t.ip, t.ua, t.em, t.rq, t.rs, t.ro, t.d
    from json_to_recordset(${stripNul(payload)}::json) as t(ts timestamp, ep varchar, m varchar, sc int4, rt float8, u varchar, ip varchar,
      ua varchar, em text, rq int4, rs int4, ro varchar, d varchar)`;
}
