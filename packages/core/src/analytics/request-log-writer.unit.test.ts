import type { Db } from "@homepot/db";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../context.ts";
import { type RequestLogRow, RequestLogWriter } from "./request-log-writer.ts";

const row = (i: number): RequestLogRow => ({
  timestamp_ms: Date.UTC(2026, 10, 27) + i,
  endpoint: `/api/v1/probe/${i}`,
  route: "/api/v1/probe/:i",
  method: "GET",
  status_code: 200,
  response_time_ms: 1.5,
  user_id: null,
  device_id: null,
  ip_address: "127.0.0.1",
  user_agent: null,
  error_message: null,
  request_size_bytes: 0,
  response_size_bytes: 10,
});

/** A database whose inserts wait until released (a slow or stuck server), counting what it was sent. */
function stalledDb() {
  const waiting: Array<() => void> = [];
  let statements = 0;
  const db = {
    execute: () => {
      statements += 1;
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
  } as unknown as Db;
  const release = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  return { db, release, statements: () => statements };
}

describe("RequestLogWriter's bounded buffer", () => {
  it("sheds and counts rows past its bound while the database is stuck, without blocking a push", async () => {
    const stalled = stalledDb();
    const writer = new RequestLogWriter(stalled.db, silentLogger, {
      maxBatch: 10,
      maxBuffered: 25,
      intervalMs: 60_000,
    });
    for (let i = 0; i < 10; i++) writer.push(row(i));
    await new Promise((r) => setImmediate(r)); // the flush a full batch schedules runs after the request, not in push
    expect(stalled.statements()).toBe(1);
    for (let i = 10; i < 60; i++) writer.push(row(i));
    // 10 rows are in the stuck insert; the buffer holds 25 more and shed the other 25.
    expect(writer.pending).toBe(25);
    expect(writer.dropped).toBe(25);
    const closing = writer.close();
    for (let i = 0; i < 5; i++) {
      stalled.release();
      await new Promise((r) => setImmediate(r));
    }
    stalled.release();
    await closing;
    expect(writer.written).toBe(35);
    expect(writer.pending).toBe(0);
  });
});
