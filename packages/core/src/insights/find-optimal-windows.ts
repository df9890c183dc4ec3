import { type Context, readDb } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { localParts } from "../schedules/opening-hours.ts";
import {
  FAILED_JOB_STATUSES,
  findSite,
  loadHourlyVolume,
  loadJobOutcomes,
  loadSchedule,
} from "./insights.repository.ts";
import { HOUR_MS } from "./models/series.ts";
import { rankJobWindows, type WindowRecommendation } from "./models/window-ranking.ts";

export interface OptimalWindows extends WindowRecommendation {
  site_id: string;
  time_zone: string;
  duration_minutes: number;
  job_type: string | null;
  generated_at: string;
}

/** How far back observed volume and past job outcomes are read. */
const HISTORY_DAYS = 28;

/**
 * The best start times at a site over the next days for a job of the given duration, from its
 * operating schedule, observed transactions by hour and past job outcomes by hour.
 */
export async function findOptimalWindows(
  ctx: Context,
  siteId: string,
  options: { durationMinutes?: number; days?: number; limit?: number; jobType?: string } = {},
): Promise<OptimalWindows> {
  const duration = options.durationMinutes ?? 60;
  if (!Number.isInteger(duration) || duration < 5 || duration > 24 * 60)
    throw new ValidationError("duration_minutes must be an integer from 5 to 1440", "duration_minutes");
  const site = await findSite(readDb(ctx), siteId);
  if (!site) throw new NotFoundError(`Site ${siteId} not found`);
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - HISTORY_DAYS * 24 * HOUR_MS);
  const [schedule, volume, outcomes] = await Promise.all([
    loadSchedule(readDb(ctx), site.siteId),
    loadHourlyVolume(readDb(ctx), site.siteId, from, now, site.timezone),
    loadJobOutcomes(readDb(ctx), from, now, site.siteId),
  ]);
  // Outcomes of this job type when there are enough, else all of the site's.
  const typed = options.jobType ? outcomes.filter((o) => o.jobType === options.jobType) : outcomes;
  const used = typed.length >= 5 ? typed : outcomes;
  const jobsByHour = new Map<number, { total: number; failed: number }>();
  for (const o of used) {
    const h = Math.floor(localParts(o.at.getTime(), site.timezone).minute / 60);
    const e = jobsByHour.get(h) ?? { total: 0, failed: 0 };
    e.total += 1;
    if (FAILED_JOB_STATUSES.includes(o.status)) e.failed += 1;
    jobsByHour.set(h, e);
  }
  const rec = rankJobWindows({
    now: now.getTime(),
    timeZone: site.timezone,
    schedule,
    volumeByHourOfWeek: volume,
    jobsByHour,
    durationMinutes: duration,
    horizonDays: options.days ?? 7,
    limit: options.limit ?? 5,
  });
  return {
    site_id: site.siteId,
    time_zone: site.timezone,
    duration_minutes: duration,
    job_type: options.jobType ?? null,
    generated_at: now.toISOString(),
    ...rec,
  };
}
