import { type Db, healthChecks, recordsetInsert, rowsOf } from "@homepot/db";
import { sql } from "drizzle-orm";

/** One health_checks row ready to insert; keys are the column names. */
export interface HealthCheckRecord extends Record<string, unknown> {
  device_id: number;
  is_healthy: boolean;
  response_time_ms: number | null;
  status_code: number;
  endpoint: string;
  response_data: unknown;
  error_message: string | null;
  timestamp: Date;
}

const checkRecords = recordsetInsert<HealthCheckRecord>(healthChecks, [
  "device_id",
  "is_healthy",
  "response_time_ms",
  "status_code",
  "endpoint",
  "response_data",
  "error_message",
  "timestamp",
]);

/**
 * Inserts health checks in one statement (one report or a batch, the same way) and answers their ids in the
 * records' order: RETURNING follows the json array's order (one function scan, no sort).
 */
export async function insertHealthChecks(db: Db, records: readonly HealthCheckRecord[]): Promise<number[]> {
  if (records.length === 0) return [];
  const result = await db.execute(checkRecords.insert(records, sql`returning id`));
  return rowsOf<{ id: number | string }>(result).map((r) => Number(r.id));
}
