import { DAY_NAMES, localParts, phaseAt, type ScheduleDay, type SitePhase } from "../../schedules/opening-hours.ts";
import { MINUTE_MS } from "./series.ts";
import { clamp, median, round, sampleConfidence, shrunkRate } from "./stats.ts";

export interface WindowInput {
  now: number;
  timeZone: string;
  schedule: readonly ScheduleDay[];
  /** Observed transactions per local hour of week (0 = Monday 00:00): mean per hour and how many hours it rests on. */
  volumeByHourOfWeek: ReadonlyMap<number, { mean: number; hours: number }>;
  /** Past job outcomes by local hour of day (0–23). */
  jobsByHour: ReadonlyMap<number, { total: number; failed: number }>;
  durationMinutes: number;
  horizonDays?: number;
  stepMinutes?: number;
  /** How many non-overlapping windows to return. */
  limit?: number;
}

export interface WindowCandidate {
  start: string;
  end: string;
  local_start: string;
  /** 0–100, higher is better. */
  score: number;
  phases: Record<SitePhase, number>;
  expected_transactions: number | null;
  job_failure_rate: number | null;
  reasons: string[];
}

export interface WindowRecommendation {
  windows: WindowCandidate[];
  confidence: number;
  factors: { factor: string; weight: number; available: boolean; detail: string }[];
  data: { schedule_days: number; volume_hours: number; job_outcomes: number };
  window: { start: string; end: string; days: number };
}

const PHASE_COST: Record<SitePhase, number> = { closed: 0, open: 0.6, peak: 1, unknown: 0.5 };
const SEGMENT_MIN = 15;

/**
 * Best start times for a job of the given duration over the next days. The cost of a start is a weighted
 * mean over the job's 15-minute segments of: the schedule (closed < open < peak), observed transaction
 * volume at that hour relative to the busiest hour, and the failure rate of past jobs at that hour
 * (shrunk toward the site's overall rate); a maintenance day earns a bonus when the site is closed.
 * Factors without data are dropped and the weights re-normalised.
 */
export function rankJobWindows(input: WindowInput): WindowRecommendation {
  const step = input.stepMinutes ?? 30;
  const days = input.horizonDays ?? 7;
  const limit = input.limit ?? 5;
  const first = Math.ceil(input.now / (step * MINUTE_MS)) * step * MINUTE_MS;
  const last = input.now + days * 24 * 60 * MINUTE_MS - input.durationMinutes * MINUTE_MS;

  const maxVolume = Math.max(0, ...[...input.volumeByHourOfWeek.values()].map((v) => v.mean));
  const volumeHours = [...input.volumeByHourOfWeek.values()].reduce((s, v) => s + v.hours, 0);
  const jobTotal = [...input.jobsByHour.values()].reduce((s, v) => s + v.total, 0);
  const jobFailed = [...input.jobsByHour.values()].reduce((s, v) => s + v.failed, 0);
  const overallFail = jobTotal > 0 ? shrunkRate(jobFailed, jobTotal, 0.1, 5) : null;

  const weights = {
    schedule: input.schedule.length > 0 ? 0.45 : 0,
    volume: maxVolume > 0 ? 0.35 : 0,
    jobs: jobTotal > 0 ? 0.2 : 0,
  };
  const totalWeight = weights.schedule + weights.volume + weights.jobs;

  interface Scored extends WindowCandidate {
    startMs: number;
    cost: number;
  }
  const scored: Scored[] = [];
  for (let s = first; s <= last; s += step * MINUTE_MS) {
    const phases: Record<SitePhase, number> = { closed: 0, open: 0, peak: 0, unknown: 0 };
    let scheduleCost = 0;
    let volumeCost = 0;
    let volumeSum = 0;
    let volumeKnown = false;
    let failCost = 0;
    let failSum = 0;
    let maintenance = 0;
    const segments = Math.max(1, Math.ceil(input.durationMinutes / SEGMENT_MIN));
    for (let i = 0; i < segments; i++) {
      const t = s + i * SEGMENT_MIN * MINUTE_MS;
      const lp = localParts(t, input.timeZone);
      const phase = input.schedule.length > 0 ? phaseAt(input.schedule, lp.dow, lp.minute) : "unknown";
      phases[phase] += SEGMENT_MIN;
      scheduleCost += PHASE_COST[phase];
      if (phase === "closed" && input.schedule.find((d) => d.dayOfWeek === lp.dow)?.isMaintenanceWindow)
        maintenance += 1;
      const vol = input.volumeByHourOfWeek.get(lp.hourOfWeek);
      if (vol && maxVolume > 0) {
        volumeKnown = true;
        volumeCost += vol.mean / maxVolume;
        volumeSum += vol.mean / (60 / SEGMENT_MIN);
      } else if (maxVolume > 0) {
        // An hour never observed: assume the schedule's view (closed ≈ quiet).
        volumeCost += PHASE_COST[phase];
      }
      if (overallFail !== null) {
        const h = input.jobsByHour.get(Math.floor(lp.minute / 60)) ?? { total: 0, failed: 0 };
        const rate = shrunkRate(h.failed, h.total, overallFail, 5);
        failSum += rate;
        failCost += clamp(rate / Math.max(0.05, 2 * overallFail));
      }
    }
    const cost =
      totalWeight === 0
        ? 0.5
        : (weights.schedule * (scheduleCost / segments) +
            weights.volume * (volumeCost / segments) +
            weights.jobs * (failCost / segments)) /
            totalWeight -
          0.1 * (maintenance / segments);
    const lp = localParts(s, input.timeZone);
    const reasons: string[] = [];
    if (input.schedule.length > 0) {
      const parts = (Object.entries(phases) as [SitePhase, number][])
        .filter(([, m]) => m > 0)
        .map(([p, m]) => `${p} ${m} min`);
      reasons.push(`site schedule during the job: ${parts.join(", ")}`);
    } else reasons.push("no operating schedule for this site");
    if (maintenance > 0) reasons.push(`${DAY_NAMES[lp.dow]} is a maintenance day`);
    if (volumeKnown)
      reasons.push(
        `about ${round(volumeSum, 1)} transactions observed in this time on past weeks (busiest hour ${round(maxVolume, 1)}/h)`,
      );
    if (overallFail !== null)
      reasons.push(
        `past jobs at this hour fail ${round((100 * failSum) / segments, 1)} % of the time (site overall ${round(100 * overallFail, 1)} %)`,
      );
    scored.push({
      startMs: s,
      cost,
      start: new Date(s).toISOString(),
      end: new Date(s + input.durationMinutes * MINUTE_MS).toISOString(),
      local_start: `${DAY_NAMES[lp.dow]} ${String(Math.floor(lp.minute / 60)).padStart(2, "0")}:${String(lp.minute % 60).padStart(2, "0")} (${input.timeZone})`,
      score: round(100 * clamp(1 - cost), 1),
      phases,
      expected_transactions: volumeKnown ? round(volumeSum, 1) : null,
      job_failure_rate: overallFail !== null ? round(failSum / segments, 4) : null,
      reasons,
    });
  }

  // Best first, earliest among equals; then keep only non-overlapping windows.
  const ranked = [...scored].sort((a, b) => a.cost - b.cost || a.startMs - b.startMs);
  const chosen: Scored[] = [];
  const span = input.durationMinutes * MINUTE_MS;
  for (const c of ranked) {
    if (chosen.length >= limit) break;
    if (chosen.some((x) => Math.abs(x.startMs - c.startMs) < Math.max(span, 60 * MINUTE_MS))) continue;
    chosen.push(c);
  }
  const best = chosen[0];
  const typical = median(scored.map((c) => c.score)) ?? 0;
  const margin = best ? clamp((best.score - typical) / 30) : 0;
  const scheduleDays = new Set(input.schedule.map((d) => d.dayOfWeek)).size;
  const confidence =
    totalWeight === 0
      ? 0
      : round(
          0.4 * (scheduleDays / 7) +
            0.25 * sampleConfidence(volumeHours, 7 * 24) +
            0.15 * sampleConfidence(jobTotal, 20) +
            0.2 * margin,
          2,
        );

  return {
    windows: chosen.map(({ startMs: _s, cost: _c, ...w }) => w),
    confidence,
    factors: [
      {
        factor: "operating_schedule",
        weight: round(weights.schedule / (totalWeight || 1), 2),
        available: weights.schedule > 0,
        detail: `${scheduleDays} of 7 days scheduled`,
      },
      {
        factor: "observed_transactions",
        weight: round(weights.volume / (totalWeight || 1), 2),
        available: weights.volume > 0,
        detail: `${volumeHours} hourly samples of transaction volume`,
      },
      {
        factor: "past_job_outcomes",
        weight: round(weights.jobs / (totalWeight || 1), 2),
        available: weights.jobs > 0,
        detail: `${jobTotal} past job outcomes, ${jobFailed} failed`,
      },
      {
        factor: "maintenance_days",
        weight: 0.1,
        available: input.schedule.some((d) => d.isMaintenanceWindow),
        detail: "bonus for closed hours of a day flagged as maintenance",
      },
    ],
    data: { schedule_days: scheduleDays, volume_hours: volumeHours, job_outcomes: jobTotal },
    window: {
      start: new Date(first).toISOString(),
      end: new Date(input.now + days * 24 * 60 * MINUTE_MS).toISOString(),
      days,
    },
  };
}
