import { MAX_SAMPLES_PER_REQUEST, type MetricSampleInput } from "@homepot/contracts/telemetry";
import type { Context } from "../context.ts";
import { ForbiddenError, ValidationError } from "../errors.ts";
import { emitMetricSignals, type MetricRow, metricRow, storeMetrics } from "./metrics.repository.ts";
import type { MetricsWriter } from "./metrics-writer.ts";

export const MAX_SAMPLES = 1000;
/** Samples may be backdated (an agent's offline queue) up to this far, and lead the clock by at most 5 min. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;
const MAX_LEAD_MS = 5 * 60 * 1000;

export interface IngestOptions {
  /** Group-commit writer (the server's); without it the samples are written in their own transaction. */
  writer?: MetricsWriter;
  /** The body was one bare sample (error fields are then named without the `samples.N.` prefix). */
  single?: boolean;
}

/** A device's own timestamp: ISO 8601 (bare = UTC), at most 5 min ahead of the clock and 30 days old. */
export function parseTime(value: string, field: string, now: Date): Date {
  const hasZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value);
  const t = new Date(hasZone ? value : `${value.replace(" ", "T")}Z`);
  if (Number.isNaN(t.getTime())) throw new ValidationError(`${field}: must be an ISO 8601 datetime`, field);
  if (t.getTime() > now.getTime() + MAX_LEAD_MS) throw new ValidationError(`${field}: is in the future`, field);
  if (t.getTime() < now.getTime() - MAX_AGE_MS) throw new ValidationError(`${field}: is older than 30 days`, field);
  return t;
}

/** The device_metrics rows of a batch of samples (checks ownership and timestamps). */
export function metricRows(
  deviceId: string,
  samples: readonly MetricSampleInput[],
  now: Date,
  single = false,
): MetricRow[] {
  return samples.map((s, i) => {
    if (s.device_id !== undefined && s.device_id !== deviceId) {
      throw new ForbiddenError(`device_id ${s.device_id} does not match the authenticated device ${deviceId}`);
    }
    const at = s.timestamp ? parseTime(s.timestamp, single ? "timestamp" : `samples.${i}.timestamp`, now) : now;
    return metricRow(deviceId, at, s, s.extra_metrics);
  });
}

/**
 * Stores telemetry samples of one device (already range-checked by the contract schema) and moves its
 * last_seen; a device marked offline comes back online. Resolves only after the rows are committed.
 * No reads: the device was authenticated by the caller (cached key check) or is the simulator's own.
 */
export async function ingestMetrics(
  ctx: Context,
  deviceId: string,
  samples: readonly MetricSampleInput[],
  options: IngestOptions = {},
): Promise<{ count: number }> {
  if (samples.length === 0) throw new ValidationError("samples: at least one sample is required", "samples");
  if (samples.length > MAX_SAMPLES_PER_REQUEST)
    throw new ValidationError(`samples: at most ${MAX_SAMPLES_PER_REQUEST} per request`, "samples");
  const now = ctx.clock.now();
  const rows = metricRows(deviceId, samples, now, options.single);
  if (options.writer) {
    await options.writer.write(rows, deviceId, now);
  } else {
    await storeMetrics(ctx.db, rows, new Map([[deviceId, now]]));
  }
  emitMetricSignals(ctx, rows);
  ctx.signals?.emit({ kind: "seen", deviceId, at: now });
  return { count: rows.length };
}
