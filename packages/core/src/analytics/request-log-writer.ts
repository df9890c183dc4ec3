import { apiRequestLogs, type Db } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { Logger } from "../context.ts";

/**
 * One api_request_logs row as the request path hands it over: the column names, the time as epoch milliseconds.
 * It is also the JSON element the insert expands (json_to_recordset matches keys to the record's columns), so a
 * request costs one small object and the flush one JSON.stringify, with no mapping in between.
 */
export interface RequestLogRow {
  timestamp_ms: number;
  endpoint: string;
  route: string | null;
  method: string;
  status_code: number;
  response_time_ms: number;
  user_id: string | null;
  device_id: string | null;
  ip_address: string | null;
  user_agent: string | null;
  error_message: string | null;
  request_size_bytes: number | null;
  response_size_bytes: number | null;
}

export interface RequestLogWriterOptions {
  /** Rows per insert statement, at most. */
  maxBatch?: number;
  /** Flush at least this often (ms). */
  intervalMs?: number;
  /** Rows kept while the database is slow or unreachable; beyond it new rows are shed and counted. */
  maxBuffered?: number;
}

/**
 * Buffers api_request_logs rows off the request path and writes them in multi-row inserts, by size or every
 * interval, and on close. Requests never wait for it: a push only appends to a bounded buffer (a full buffer sheds
 * new rows and counts them in `dropped`, exposed on /metrics), and the flush it may trigger is scheduled
 * for after the current request, so even building the batch's statement is off the request path. One flush at a
 * time; a failed flush keeps its rows for the next one.
 */
export class RequestLogWriter {
  private buffer: RequestLogRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;
  /** Rows shed because the buffer was full. */
  dropped = 0;
  written = 0;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    options: RequestLogWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 2000;
    this.maxBuffered = options.maxBuffered ?? 50_000;
    this.timer = setInterval(() => void this.flush(), options.intervalMs ?? 1000);
    this.timer.unref();
  }

  get pending(): number {
    return this.buffer.length;
  }

  push(row: RequestLogRow): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.dropped += 1; // shed (O(1)): the rows already buffered are kept
      return;
    }
    this.buffer.push(row);
    if (this.buffer.length >= this.maxBatch && !this.scheduled && !this.flushing) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.flush();
      });
    }
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
  return sql`insert into ${apiRequestLogs} (timestamp, endpoint, method, status_code, response_time_ms, user_id, ip_address, user_agent,
      error_message, request_size_bytes, response_size_bytes, route, device_id)
    select coalesce(to_timestamp(t.timestamp_ms / 1000.0) at time zone 'utc', now() at time zone 'utc'), t.endpoint, t.method,
      t.status_code, t.response_time_ms, t.user_id, t.ip_address, t.user_agent, t.error_message, t.request_size_bytes,
      t.response_size_bytes, t.route, t.device_id
    from json_to_recordset(${stripNul(JSON.stringify(batch))}::json) as t(timestamp_ms float8, endpoint varchar, method varchar,
      status_code int4, response_time_ms float8, user_id varchar, ip_address varchar, user_agent varchar, error_message text,
      request_size_bytes int4, response_size_bytes int4, route varchar, device_id varchar)`;
}
