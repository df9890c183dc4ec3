import { apiRequestRollups } from "@homepot/db";
import { eq, ne, type SQL } from "drizzle-orm";
import type { Context } from "../context.ts";
import { readRollups } from "./page.ts";
import { ALL_ROUTES, type Bucket } from "./refresh-rollups.ts";

export interface ApiRequestsSummaryQuery {
  bucket: Bucket;
  start_date?: Date | undefined;
  end_date?: Date | undefined;
  limit: number;
  order: "asc" | "desc";
  route?: string | undefined;
  method?: string | undefined;
  by_route?: boolean | undefined;
}

/** Request count, error rate (status ≥ 400) and latency percentiles per bucket, from api_request_rollups. */
export async function summarizeApiRequests(ctx: Context, q: ApiRequestsSummaryQuery) {
  const t = apiRequestRollups;
  const where: SQL[] = [eq(t.bucket, q.bucket)];
  if (q.route || q.method || q.by_route) {
    where.push(ne(t.route, ALL_ROUTES));
    if (q.route) where.push(eq(t.route, q.route));
    if (q.method) where.push(eq(t.method, q.method));
  } else {
    where.push(eq(t.route, ALL_ROUTES), eq(t.method, ALL_ROUTES));
  }
  const rows = await readRollups(ctx, t, where, q, [t.route, t.method]);
  return {
    bucket: q.bucket,
    summaries: rows.map((r) => ({
      bucket_start: r.bucketStart.toISOString(),
      route: r.route,
      method: r.method,
      requests: r.requests,
      errors: r.errors,
      error_rate: r.requests > 0 ? r.errors / r.requests : 0,
      p50_ms: r.p50Ms,
      p95_ms: r.p95Ms,
      avg_ms: r.avgMs,
      max_ms: r.maxMs,
    })),
  };
}
