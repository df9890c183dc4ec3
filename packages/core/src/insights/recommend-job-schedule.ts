import type { Context } from "../context.ts";
import { findOptimalWindows } from "./find-optimal-windows.ts";
import type { WindowCandidate } from "./models/window-ranking.ts";

export interface JobScheduleRecommendation {
  site_id: string;
  job_type: string | null;
  duration_minutes: number;
  recommended_start: string;
  recommended_end: string;
  local_start: string;
  score: number;
  confidence: number;
  reasons: string[];
  alternatives: WindowCandidate[];
  factors: { factor: string; weight: number; available: boolean; detail: string }[];
  data: { schedule_days: number; volume_hours: number; job_outcomes: number };
  generated_at: string;
}

/**
 * The best start in the next 7 days for a job at a site (the jobs' "next maintenance window" uses it).
 * The answer always names a start; its confidence says how much data stands behind the choice.
 */
export async function recommendJobSchedule(
  ctx: Context,
  input: { siteId: string; durationMinutes: number; jobType?: string },
): Promise<JobScheduleRecommendation> {
  const r = await findOptimalWindows(ctx, input.siteId, {
    durationMinutes: input.durationMinutes,
    days: 7,
    limit: 4,
    jobType: input.jobType,
  });
  const [best, ...alternatives] = r.windows;
  if (!best) throw new Error("no candidate window in the next 7 days");
  return {
    site_id: r.site_id,
    job_type: r.job_type,
    duration_minutes: r.duration_minutes,
    recommended_start: best.start,
    recommended_end: best.end,
    local_start: best.local_start,
    score: best.score,
    confidence: r.confidence,
    reasons: best.reasons,
    alternatives,
    factors: r.factors,
    data: r.data,
    generated_at: r.generated_at,
  };
}
