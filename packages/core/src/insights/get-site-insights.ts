import { listOpenAlerts } from "../alerts/alert.repository.ts";
import { type Context, readDb } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { loadDeviceSeries } from "./device-series.repository.ts";
import { historyStart } from "./get-device-history.ts";
import { findSite, listActiveDevices } from "./insights.repository.ts";
import { computeFailureRisk } from "./models/failure-risk.ts";
import { computeHealthScore, type HealthState } from "./models/health-score.ts";
import { HOUR_MS } from "./models/series.ts";
import { mean, round } from "./models/stats.ts";

export interface SiteInsights {
  site_id: string;
  name: string;
  generated_at: string;
  window: { start: string; end: string; hours: number };
  device_count: number;
  scored_devices: number;
  /** Mean of the scored devices' health scores; null when none could be scored. */
  health_score: number | null;
  confidence: number;
  grades: Record<string, number>;
  at_risk: number;
  open_alerts: number;
  devices: {
    device_id: string;
    status: string;
    state: HealthState;
    health_score: number | null;
    grade: string;
    failure_probability: number;
    top_issue: string | null;
  }[];
  factors: { factor: string; mean_penalty: number; devices_affected: number }[];
}

/** A site's health: every device's score and 24-hour risk, the mean, the grades and the factors that cost most. */
export async function getSiteInsights(
  ctx: Context,
  siteId: string,
  options: { hours?: number } = {},
): Promise<SiteInsights> {
  const hours = options.hours ?? 24;
  const site = await findSite(readDb(ctx), siteId);
  if (!site) throw new NotFoundError(`Site ${siteId} not found`);
  const refs = await listActiveDevices(readDb(ctx), siteId);
  const now = ctx.clock.now();
  const series = await loadDeviceSeries(readDb(ctx), refs, historyStart(now, hours), now);
  const grades: Record<string, number> = { healthy: 0, fair: 0, degraded: 0, critical: 0, unknown: 0 };
  const penalties = new Map<string, { sum: number; affected: number }>();
  const rows: SiteInsights["devices"] = [];
  const confidences: number[] = [];
  for (const ref of refs) {
    const s = series.get(ref.deviceId);
    if (!s) continue;
    const h = computeHealthScore(s, hours);
    const r = computeFailureRisk(s, { horizonHours: 24 });
    grades[h.grade] = (grades[h.grade] ?? 0) + 1;
    confidences.push(h.confidence);
    for (const f of h.factors) {
      const p = penalties.get(f.factor) ?? { sum: 0, affected: 0 };
      p.sum += f.penalty;
      if (f.penalty > 0) p.affected += 1;
      penalties.set(f.factor, p);
    }
    const worst = [...h.factors].sort((a, b) => b.penalty - a.penalty)[0];
    rows.push({
      device_id: ref.deviceId,
      status: ref.status,
      health_score: h.score,
      state: h.state,
      grade: h.grade,
      failure_probability: r.probability,
      top_issue: worst && worst.penalty > 0 ? `${worst.label}: ${worst.detail}` : null,
    });
  }
  const scores = rows.map((r) => r.health_score).filter((s): s is number => s !== null);
  const openAlerts = await listOpenAlerts(readDb(ctx), { siteId }, 1000);
  return {
    site_id: site.siteId,
    name: site.name,
    generated_at: now.toISOString(),
    window: { start: new Date(now.getTime() - hours * HOUR_MS).toISOString(), end: now.toISOString(), hours },
    device_count: refs.length,
    scored_devices: scores.length,
    health_score: scores.length > 0 ? round(mean(scores) as number, 1) : null,
    confidence: round(mean(confidences) ?? 0, 2),
    grades,
    at_risk: rows.filter((r) => r.failure_probability >= 0.5).length,
    open_alerts: openAlerts.length,
    devices: rows.sort((a, b) => (a.health_score ?? 101) - (b.health_score ?? 101)),
    factors: [...penalties]
      .map(([factor, p]) => ({
        factor,
        mean_penalty: round(p.sum / Math.max(1, rows.length), 2),
        devices_affected: p.affected,
      }))
      .sort((a, b) => b.mean_penalty - a.mean_penalty),
  };
}
