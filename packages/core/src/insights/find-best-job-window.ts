import type { Context } from "../context.ts";
import { recommendJobSchedule } from "./recommend-job-schedule.ts";

/**
 * The jobs' window finder (`createJob(ctx, input, { findWindow: findBestJobWindow })`): the best start in
 * the next 7 days from the schedule, observed volume and past job outcomes, instead of the next flagged
 * maintenance day. Same signature as jobs' findNextMaintenanceWindow.
 */
export async function findBestJobWindow(
  ctx: Context,
  siteKey: string,
  durationMinutes = 60,
): Promise<{ start: Date; reason: string; confidence: number }> {
  const r = await recommendJobSchedule(ctx, { siteId: siteKey, durationMinutes });
  return { start: new Date(r.recommended_start), reason: r.reasons.join("; "), confidence: r.confidence };
}
