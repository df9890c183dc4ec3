import type { Context } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { findBestJobWindow } from "../insights/find-best-job-window.ts";
import { findNextMaintenanceWindow } from "./find-next-maintenance-window.ts";

/**
 * Where `schedule: {next_maintenance_window: true}` puts a job: the site's next flagged maintenance
 * window when its operating schedule has one (the operator's own choice wins), otherwise the insights'
 * best window in the next 7 days (schedule, observed volume, past job outcomes).
 */
export async function findJobWindow(ctx: Context, siteKey: string): Promise<{ start: Date; reason: string }> {
  try {
    return await findNextMaintenanceWindow(ctx, siteKey);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const best = await findBestJobWindow(ctx, siteKey, 60);
    return { start: best.start, reason: `no maintenance window flagged; best window by insights: ${best.reason}` };
  }
}
