import { devices, jobs } from "@homepot/db";
import { type Context, readDb } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { localParts } from "../schedules/opening-hours.ts";
import { inScope } from "../tenants/authorize.ts";
import { loadDeviceSeries } from "./device-series.repository.ts";
import {
  type DeviceRef,
  FAILED_JOB_STATUSES,
  findDevice,
  findSite,
  listActiveDevices,
  loadJobOutcomes,
} from "./insights.repository.ts";
import { computeFailureRisk } from "./models/failure-risk.ts";
import { HOUR_MS } from "./models/series.ts";
import { clamp, round, sampleConfidence, shrunkRate } from "./models/stats.ts";

export interface SuccessFactor {
  factor: string;
  /** Multiplier applied to the success probability (1 = no effect). */
  effect: number;
  value: number | null;
  detail: string;
  samples: number;
}

export interface SuccessEstimate {
  probability: number;
  confidence: number;
  factors: SuccessFactor[];
  target: { site_id: string | null; device_ids: string[]; job_type: string | null; scheduled_at: string | null };
  window: { start: string; end: string; days: number };
  sample_size: { job_outcomes: number; devices: number };
  generated_at: string;
}

const HISTORY_DAYS = 90;

/**
 * Chance that a job succeeds: the past success rate of this job type (shrunk toward all jobs), at the
 * scheduled hour, times the chance that none of the target devices fails meanwhile (each device's
 * one-hour failure risk, discounted: a failing device fails the job only in part).
 */
export async function estimateJobSuccess(
  ctx: Context,
  input: { siteId?: string; deviceIds?: string[]; jobType?: string; scheduledAt?: Date },
): Promise<SuccessEstimate> {
  if (!input.siteId && (!input.deviceIds || input.deviceIds.length === 0))
    throw new ValidationError("site_id or device_ids is required", "site_id");
  const site = input.siteId ? await findSite(readDb(ctx), input.siteId) : undefined;
  if (input.siteId && !site) throw new NotFoundError(`Site ${input.siteId} not found`);
  let refs: DeviceRef[];
  if (input.deviceIds && input.deviceIds.length > 0) {
    refs = [];
    for (const id of input.deviceIds) {
      const d = await findDevice(readDb(ctx), id);
      if (!d) throw new NotFoundError(`Device ${id} not found`);
      refs.push(d);
    }
  } else
    refs = await listActiveDevices(readDb(ctx), input.siteId, undefined, inScope(ctx, { device: devices.deviceId }));

  const now = ctx.clock.now();
  const from = new Date(now.getTime() - HISTORY_DAYS * 24 * HOUR_MS);
  const all = await loadJobOutcomes(readDb(ctx), from, now, input.siteId, inScope(ctx, { siteKey: jobs.siteId }));
  const isFail = (s: string) => FAILED_JOB_STATUSES.includes(s);
  const finished = all.filter((o) => o.status !== "cancelled" && o.status !== "pending");
  const succeeded = (list: typeof finished) => list.filter((o) => !isFail(o.status)).length;
  const overallRate = shrunkRate(succeeded(finished), finished.length, 0.9, 5);
  const factors: SuccessFactor[] = [];

  let p = overallRate;
  factors.push({
    factor: "site_history",
    effect: round(overallRate, 4),
    value: finished.length,
    detail: `${succeeded(finished)} of ${finished.length} past jobs succeeded (shrunk toward 90 %)`,
    samples: finished.length,
  });
  /** Scales the estimate by how a subset of the past jobs did against all of them (shrunk toward 1 when small). */
  const applySubset = (factor: string, subset: typeof finished, value: number, detail: string) => {
    const rate = shrunkRate(succeeded(subset), subset.length, overallRate, 5);
    const effect = overallRate > 0 ? rate / overallRate : 1;
    p *= effect;
    factors.push({ factor, effect: round(effect, 4), value, detail, samples: subset.length });
  };

  if (input.jobType) {
    const typed = finished.filter((o) => o.jobType === input.jobType);
    applySubset(
      "job_type_history",
      typed,
      typed.length,
      `${input.jobType}: ${succeeded(typed)} of ${typed.length} succeeded`,
    );
  }

  if (input.scheduledAt) {
    const tz = site?.timezone ?? "UTC";
    const hour = Math.floor(localParts(input.scheduledAt.getTime(), tz).minute / 60);
    const atHour = finished.filter((o) => Math.floor(localParts(o.at.getTime(), tz).minute / 60) === hour);
    const failed = atHour.length - succeeded(atHour);
    applySubset(
      "hour_of_day",
      atHour,
      hour,
      `${atHour.length} past jobs at ${String(hour).padStart(2, "0")}:00, ${failed} failed`,
    );
  }

  if (refs.length > 0) {
    const series = await loadDeviceSeries(readDb(ctx), refs, new Date(now.getTime() - 7 * 24 * HOUR_MS), now);
    let survive = 1;
    let risky = 0;
    for (const ref of refs) {
      const s = series.get(ref.deviceId);
      if (!s) continue;
      const r = computeFailureRisk(s, { horizonHours: 1 });
      if (r.probability >= 0.5) risky += 1;
      // A device failing during the job fails its part; count half of its risk against the whole job.
      survive *= 1 - 0.5 * r.probability;
    }
    p *= survive;
    factors.push({
      factor: "device_health",
      effect: round(survive, 4),
      value: risky,
      detail: `${risky} of ${refs.length} target devices at high risk of failing within the hour`,
      samples: refs.length,
    });
  }

  return {
    probability: round(clamp(p), 3),
    confidence: round(sampleConfidence(finished.length, 20) * 0.7 + sampleConfidence(refs.length, 3) * 0.3, 2),
    factors,
    target: {
      site_id: site?.siteId ?? null,
      device_ids: refs.map((r) => r.deviceId),
      job_type: input.jobType ?? null,
      scheduled_at: input.scheduledAt?.toISOString() ?? null,
    },
    window: { start: from.toISOString(), end: now.toISOString(), days: HISTORY_DAYS },
    sample_size: { job_outcomes: finished.length, devices: refs.length },
    generated_at: now.toISOString(),
  };
}
