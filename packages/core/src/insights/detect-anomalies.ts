import { devices, sites } from "@homepot/db";
import { raiseDetectedAlerts } from "../alerts/raise-detected-alerts.ts";
import { type Context, readDb } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { inTurns } from "../in-turns.ts";
import type { ScheduleDay } from "../schedules/opening-hours.ts";
import { inScope } from "../tenants/authorize.ts";
import { loadDeviceSeries, type SeriesDeviceRef, seriesInChunks } from "./device-series.repository.ts";
import {
  FAILED_JOB_STATUSES,
  findDevice,
  findSite,
  listActiveDevices,
  listSites,
  loadJobOutcomes,
  loadSchedule,
} from "./insights.repository.ts";

import {
  type Anomaly,
  detectFlapping,
  detectIntermittentGaps,
  detectJobFailureSpike,
  detectMetricOutliers,
  detectOutsideHours,
  detectSilence,
  peerAdjust,
} from "./models/anomaly-rules.ts";
import { HOUR_MS } from "./models/series.ts";

export interface DetectedAnomaly extends Anomaly {
  /** The alert an anomaly rule raised for it (null when no enabled rule covers it). */
  alert_id: number | null;
  first_detected_at: string;
  occurrences: number;
}

export interface AnomalyReport {
  anomalies: DetectedAnomaly[];
  devices_checked: number;
  generated_at: string;
  window: { start: string; end: string; baseline_hours: number };
}

/**
 * Runs every detector (metric outliers against each device's own baseline, activity outside operating
 * hours, unusual flapping, silence, job failure spikes) and hands what it finds to the anomaly alert rules (alerts/): an ongoing
 * condition updates its open alert instead of raising a new one.
 */
export async function detectAnomalies(
  ctx: Context,
  options: { siteId?: string; deviceId?: string; baselineHours?: number } = {},
): Promise<AnomalyReport> {
  const baselineHours = options.baselineHours ?? 24;
  const now = ctx.clock.now();
  let refs: Awaited<ReturnType<typeof listActiveDevices>>;
  if (options.deviceId) {
    const d = await findDevice(readDb(ctx), options.deviceId);
    if (!d) throw new NotFoundError(`Device ${options.deviceId} not found`);
    refs = [d];
  } else {
    if (options.siteId && !(await findSite(readDb(ctx), options.siteId)))
      throw new NotFoundError(`Site ${options.siteId} not found`);
    // A site's devices together, so each chunk holds whole sites as far as possible (peer comparison).
    refs = (
      await listActiveDevices(readDb(ctx), options.siteId, undefined, inScope(ctx, { device: devices.deviceId }))
    ).sort((a, b) => a.siteId.localeCompare(b.siteId) || a.deviceId.localeCompare(b.deviceId));
  }
  const siteRows = await listSites(readDb(ctx), inScope(ctx, { site: sites.siteId }));
  const zones = new Map(siteRows.map((s) => [s.siteId, s.timezone]));
  const schedules = new Map<string, ScheduleDay[]>();
  for (const siteId of new Set(refs.map((r) => r.siteId)))
    schedules.set(siteId, await loadSchedule(readDb(ctx), siteId));

  const found: Anomaly[] = [];
  const from = new Date(now.getTime() - 7 * 24 * HOUR_MS);
  const metricsFrom = new Date(now.getTime() - (baselineHours + 1) * HOUR_MS);
  const load = (chunk: readonly SeriesDeviceRef[]) => loadDeviceSeries(readDb(ctx), chunk, from, now, { metricsFrom });
  for await (const { chunk, series } of seriesInChunks(refs, load)) {
    // Load-driven metrics are judged against the site's other devices, so opening hours and peaks are not outliers.
    const peers = peerAdjust([...series.values()]);
    for await (const ref of inTurns(chunk)) {
      const s = series.get(ref.deviceId);
      if (!s) continue;
      found.push(...detectMetricOutliers(peers.get(ref.deviceId) ?? s, { baselineHours }));
      found.push(...detectOutsideHours(s, schedules.get(ref.siteId) ?? [], zones.get(ref.siteId) ?? "UTC"));
      found.push(...detectFlapping(s));
      found.push(...detectSilence(s));
      found.push(...detectIntermittentGaps(s));
    }
  }
  if (!options.deviceId) {
    const outcomes = await loadJobOutcomes(
      readDb(ctx),
      new Date(now.getTime() - 8 * 24 * HOUR_MS),
      now,
      options.siteId,
    );
    found.push(
      ...detectJobFailureSpike(
        outcomes.map((o) => ({ at: o.at.getTime(), failed: FAILED_JOB_STATUSES.includes(o.status), siteId: o.siteId })),
        now.getTime(),
        options.siteId ?? null,
      ),
    );
  }

  const alerts = await raiseDetectedAlerts(
    ctx,
    "anomaly",
    found.map((a) => ({
      key: a.fingerprint,
      kind: a.kind,
      severity: a.severity,
      deviceId: a.device_id,
      siteId: a.site_id,
      title: a.title,
      score: a.score,
      details: a.details,
    })),
    { full: !options.deviceId && !options.siteId },
  );
  const stored: DetectedAnomaly[] = found.map((a) => {
    const alert = alerts.get(a.fingerprint);
    return {
      ...a,
      alert_id: alert?.id ?? null,
      first_detected_at: alert?.createdAt.toISOString() ?? a.detected_at,
      occurrences: alert?.occurrences ?? 1,
    };
  });
  stored.sort((x, y) =>
    x.severity === y.severity ? Math.abs(y.score) - Math.abs(x.score) : x.severity === "critical" ? -1 : 1,
  );
  return {
    anomalies: stored,
    devices_checked: refs.length,
    generated_at: now.toISOString(),
    window: { start: metricsFrom.toISOString(), end: now.toISOString(), baseline_hours: baselineHours },
  };
}
