import { siteOperatingSchedules, sites } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";

export interface MaintenanceWindow {
  start: Date;
  /** Day of week (0 = Monday … 6 = Sunday) of the schedule row the window comes from. */
  dayOfWeek: number;
  reason: string;
}

/**
 * The next start of a maintenance window of a site, from site_operating_schedules: on a day flagged
 * `is_maintenance_window` the window opens at closing time (site-local), or at 02:00 when the site is
 * closed that day. Jobs call it for `schedule: {next_maintenance_window: true}`; the insights domain may
 * offer a smarter finder with the same signature.
 */
export async function findNextMaintenanceWindow(
  ctx: Context,
  siteKey: string,
  after: Date = ctx.clock.now(),
): Promise<MaintenanceWindow> {
  const [site] = await ctx.db
    .select({ timezone: sites.timezone })
    .from(sites)
    .where(eq(sites.siteId, siteKey))
    .limit(1);
  if (!site) throw new NotFoundError(`Site ${siteKey} not found`);
  const rows = await ctx.db.select().from(siteOperatingSchedules).where(eq(siteOperatingSchedules.siteId, siteKey));
  const windows = rows.filter((r) => r.isMaintenanceWindow);
  if (windows.length === 0) {
    throw new ValidationError(`Site ${siteKey} has no maintenance window in its operating schedule`, "schedule");
  }
  const zone = site.timezone || "UTC";
  let best: MaintenanceWindow | undefined;
  // Look at the next 8 local days so this week's window that already passed rolls over to next week.
  for (let offset = 0; offset <= 8; offset += 1) {
    const local = localParts(new Date(after.getTime() + offset * 86_400_000), zone);
    const dayOfWeek = (local.weekday + 6) % 7; // JS Sunday=0 → schedule Monday=0
    const row = windows.find((w) => w.dayOfWeek === dayOfWeek);
    if (!row) continue;
    const [h, m] = row.isClosed || !row.closeTime ? [2, 0] : parseTime(row.closeTime);
    const start = zonedToUtc(local.year, local.month, local.day, h, m, zone);
    if (start.getTime() <= after.getTime()) continue;
    if (!best || start < best.start) {
      best = {
        start,
        dayOfWeek,
        reason:
          row.isClosed || !row.closeTime
            ? "maintenance day, site closed (02:00 local)"
            : `maintenance day, after closing at ${row.closeTime.slice(0, 5)} local`,
      };
    }
  }
  if (!best) throw new ValidationError(`Site ${siteKey} has no upcoming maintenance window`, "schedule");
  return best;
}

function parseTime(t: string): [number, number] {
  const [h = "0", m = "0"] = t.split(":");
  return [Number(h), Number(m)];
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function localParts(date: Date, zone: string): LocalParts {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    weekday: "short",
    hourCycle: "h23",
  });
  const parts = Object.fromEntries(fmt.formatToParts(date).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: weekdays.indexOf(parts.weekday ?? "Sun"),
  };
}

/** The UTC instant of a wall-clock time in `zone` (two passes settle DST offsets). */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, zone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall;
  for (let i = 0; i < 2; i += 1) {
    const p = localParts(new Date(guess), zone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wall - shown;
  }
  return new Date(guess);
}
