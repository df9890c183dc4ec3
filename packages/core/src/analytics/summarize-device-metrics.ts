import { deviceMetricRollups } from "@homepot/db";
import { eq, type SQL } from "drizzle-orm";
import type { Context } from "../context.ts";
import { inScope } from "../tenants/authorize.ts";
import { readRollups } from "./page.ts";
import type { Bucket } from "./refresh-rollups.ts";

export interface DeviceMetricsSummaryQuery {
  bucket: Bucket;
  start_date?: Date | undefined;
  end_date?: Date | undefined;
  limit: number;
  order: "asc" | "desc";
  device_id?: string | undefined;
  site_id?: string | undefined;
  scope?: "device" | "site" | "fleet" | undefined;
}

type Stats = { avg: number | null; min: number | null; max: number | null; p95: number | null; n: number };

/** Hourly or daily device metric aggregates from device_metric_rollups (kept up to date by refreshRollups). */
export async function summarizeDeviceMetrics(ctx: Context, q: DeviceMetricsSummaryQuery) {
  const t = deviceMetricRollups;
  const scope = q.scope ?? (q.device_id ? "device" : q.site_id ? "site" : "fleet");
  // A user who does not see every site gets "their fleet": the site rollups of their sites, merged per bucket.
  const visible = inScope(ctx, { site: t.siteId });
  const stored = scope === "fleet" && visible ? "site" : scope;
  const where: SQL[] = [eq(t.bucket, q.bucket), eq(t.scope, stored)];
  if (visible) where.push(visible);
  if (q.device_id && scope === "device") where.push(eq(t.deviceId, q.device_id));
  if (q.site_id && scope !== "fleet") where.push(eq(t.siteId, q.site_id));
  const rows = await readRollups(ctx, t, where, q, [t.deviceId, t.siteId]);
  const summaries = rows.map((r) => ({
    bucket_start: r.bucketStart.toISOString(),
    device_id: r.deviceId,
    site_id: r.siteId,
    samples: r.samples,
    metrics: cleanStats(r.stats),
  }));
  return { bucket: q.bucket, scope, summaries: stored === scope ? summaries : mergePerBucket(summaries) };
}

type Summary = {
  bucket_start: string;
  device_id: string | null;
  site_id: string | null;
  samples: number;
  metrics: Record<string, Stats>;
};

/** Site rows merged into one row per bucket: sample-weighted mean, extreme min/max, the highest p95 (an upper bound). */
function mergePerBucket(rows: Summary[]): Summary[] {
  const byBucket = new Map<string, Summary>();
  for (const row of rows) {
    const merged = byBucket.get(row.bucket_start) ?? {
      ...row,
      site_id: null,
      device_id: null,
      samples: 0,
      metrics: {},
    };
    merged.samples += row.samples;
    for (const [metric, s] of Object.entries(row.metrics)) {
      const m = merged.metrics[metric];
      merged.metrics[metric] = m
        ? {
            avg:
              m.avg === null || s.avg === null
                ? (m.avg ?? s.avg)
                : (m.avg * m.n + s.avg * s.n) / Math.max(1, m.n + s.n),
            min: pick(Math.min, m.min, s.min),
            max: pick(Math.max, m.max, s.max),
            p95: pick(Math.max, m.p95, s.p95),
            n: m.n + s.n,
          }
        : { ...s };
    }
    byBucket.set(row.bucket_start, merged);
  }
  return [...byBucket.values()];
}

const pick = (f: (a: number, b: number) => number, a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : f(a, b);

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function cleanStats(raw: unknown): Record<string, Stats> {
  const out: Record<string, Stats> = {};
  for (const [metric, v] of Object.entries((raw ?? {}) as Record<string, Record<string, unknown>>)) {
    out[metric] = { avg: num(v.avg), min: num(v.min), max: num(v.max), p95: num(v.p95), n: num(v.n) ?? 0 };
  }
  return out;
}
