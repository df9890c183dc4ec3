/**
 * The least history a projection needs (a health forecast, a resource trend extrapolated to its failure
 * level): below either, the answer says how much longer to wait instead of a number.
 */
export const MIN_FORECAST_SPAN_MINUTES = 120;
export const MIN_FORECAST_SAMPLES = 30;

/**
 * Whether a device has enough metric history up to `to` for a projection; when not, how many more minutes it
 * needs (from the missing span, and the missing samples at the device's own reporting interval).
 */
export function forecastReadiness(
  sampleTimes: readonly number[],
  to: number,
): { ready: boolean; needsMinutes: number | null; samples: number; spanMinutes: number } {
  const n = sampleTimes.length;
  if (n === 0) return { ready: false, needsMinutes: null, samples: 0, spanMinutes: 0 };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of sampleTimes) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const spanMinutes = (to - first) / 60_000;
  if (spanMinutes >= MIN_FORECAST_SPAN_MINUTES && n >= MIN_FORECAST_SAMPLES)
    return { ready: true, needsMinutes: 0, samples: n, spanMinutes };
  const spanMissing = Math.max(0, MIN_FORECAST_SPAN_MINUTES - spanMinutes);
  const interval = n > 1 ? (last - first) / 60_000 / (n - 1) : null;
  const samplesMissing = Math.max(0, MIN_FORECAST_SAMPLES - n);
  const sampleMinutes = samplesMissing === 0 ? 0 : interval === null ? null : samplesMissing * interval;
  const needs = sampleMinutes === null ? null : Math.max(1, Math.ceil(Math.max(spanMissing, sampleMinutes)));
  return { ready: false, needsMinutes: needs, samples: n, spanMinutes };
}

export function notEnoughDataText(needsMinutes: number | null): string {
  if (needsMinutes === null)
    return `not enough data yet (needs ${MIN_FORECAST_SAMPLES} samples over ${MIN_FORECAST_SPAN_MINUTES} minutes)`;
  return `not enough data yet (needs ${needsMinutes} more minute${needsMinutes === 1 ? "" : "s"})`;
}
