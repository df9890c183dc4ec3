import { errorLogs } from "@homepot/db";
import { type Context, readDb } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { inScope } from "../tenants/authorize.ts";
import { findDevice, findSite, loadErrorEvents } from "./insights.repository.ts";
import { analyzeErrorPatterns, type ErrorPattern, type PatternDimension } from "./models/error-patterns.ts";
import { HOUR_MS } from "./models/series.ts";

export interface ErrorPatternReport {
  total: number;
  window: { start: string; end: string; days: number };
  patterns: Record<PatternDimension, ErrorPattern[]>;
  recurring: ErrorPattern[];
  rising: ErrorPattern[];
  generated_at: string;
}

/** Errors of the window grouped by category, code, device, site and hour of week, recurring and rising ones flagged. */
export async function findErrorPatterns(
  ctx: Context,
  options: {
    days?: number;
    start?: Date;
    end?: Date;
    siteId?: string;
    deviceId?: string;
    category?: string;
    /** Words of an error type: an error counts when its category, code or message contains one. */
    match?: readonly string[];
    limit?: number;
  } = {},
): Promise<ErrorPatternReport> {
  const now = ctx.clock.now();
  const end = options.end ?? now;
  const start = options.start ?? new Date(end.getTime() - (options.days ?? 7) * 24 * HOUR_MS);
  if (start >= end) throw new ValidationError("start_date must be before end_date", "start_date");
  if (options.siteId && !(await findSite(readDb(ctx), options.siteId)))
    throw new NotFoundError(`Site ${options.siteId} not found`);
  if (options.deviceId && !(await findDevice(readDb(ctx), options.deviceId)))
    throw new NotFoundError(`Device ${options.deviceId} not found`);
  const events = await loadErrorEvents(readDb(ctx), start, end, {
    ...options,
    visible: inScope(ctx, { device: errorLogs.deviceId }),
  });
  const r = analyzeErrorPatterns(events, start.getTime(), end.getTime());
  const limit = options.limit ?? 20;
  const all = Object.values(r.patterns).flat();
  const patterns = Object.fromEntries(Object.entries(r.patterns).map(([k, v]) => [k, v.slice(0, limit)])) as Record<
    PatternDimension,
    ErrorPattern[]
  >;
  return {
    total: r.total,
    window: {
      start: start.toISOString(),
      end: end.toISOString(),
      days: Math.round(((end.getTime() - start.getTime()) / (24 * HOUR_MS)) * 100) / 100,
    },
    patterns,
    recurring: all.filter((p) => p.recurring && p.dimension !== "hour_of_week").slice(0, limit),
    rising: all
      .filter((p) => p.rising)
      .sort((a, b) => b.rise_z - a.rise_z)
      .slice(0, limit),
    generated_at: now.toISOString(),
  };
}
