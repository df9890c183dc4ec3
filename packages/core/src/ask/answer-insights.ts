import { detectAnomalies } from "../insights/detect-anomalies.ts";
import { getDeviceInsights } from "../insights/get-device-insights.ts";
import { getSiteInsights } from "../insights/get-site-insights.ts";
import { listAtRiskDevices } from "../insights/list-at-risk-devices.ts";
import { predictDeviceFailure } from "../insights/predict-device-failure.ts";
import { recommendJobSchedule } from "../insights/recommend-job-schedule.ts";
import type { Draft } from "./answer-builder.ts";
import { enc, type IntentInput, siteLabel } from "./intent-context.ts";
import { periodHours } from "./periods.ts";

function deviceCitations(input: IntentInput, deviceId: string, start: string, end: string) {
  const q = enc({ device_id: deviceId, start_date: start, end_date: end });
  const href = `/devices/${encodeURIComponent(deviceId)}`;
  return {
    metrics: input.b.cite({ table: "device_metrics", query: q, label: `metrics of ${deviceId}`, href }),
    checks: input.b.cite({ table: "health_checks", query: q, label: `health checks of ${deviceId}`, href }),
    states: input.b.cite({ table: "device_state_history", query: q, label: `status changes of ${deviceId}`, href }),
  };
}

/** "Why is till 12 unhealthy?" — the health score's factors and the failure risk (device), or the site's health. */
export async function answerWhyUnhealthy(input: IntentInput): Promise<Draft | null> {
  const { b, q } = input;
  const hours = q.periods[0] ? periodHours(q.periods[0]) : 24;
  const deviceId = q.deviceIds[0];
  if (deviceId) {
    const r = await getDeviceInsights(input.ctx, deviceId, { hours });
    const h = r.health;
    const c = deviceCitations(input, deviceId, h.window.start, h.window.end);
    b.setWindow(h.window.start, h.window.end);
    b.sampleSize = h.sample_size.metrics + h.sample_size.health_checks;
    const state = h.state === "failed" ? `${r.status} now (a failure, not a prediction)` : r.status;
    const score =
      h.score === null
        ? "no health score yet"
        : `health score ${b.num(h.score, c.metrics, "health score", "", 0)}${b.lit("/100")} (${h.grade})`;
    b.line(
      `${b.lit(deviceId)} at ${siteLabel(input, r.site_id)} is ${state}, ${score} over the last ${b.num(h.window.hours, c.metrics, "hours", "", 0)} hours.`,
    );
    const costs = largest(h.factors, (f) => f.penalty, 4);
    if (costs.length)
      b.line(
        `What lowers it: ${costs.map((f) => `${f.label} (${b.quote(f.detail, f.factor === "failed_checks" ? c.checks : f.factor === "flapping" || f.factor === "downtime" ? c.states : c.metrics, f.factor)}; −${b.num(f.penalty, c.metrics, `${f.factor} penalty`)} points)`).join("; ")}.`,
      );
    else if (h.score !== null) b.line("Nothing lowers it: every factor is within its normal range.");
    const risk = r.failure_risk;
    if (risk.state === "assessed")
      b.line(
        `Failure risk within ${b.num(risk.horizon_hours, c.metrics, "horizon", "", 0)} h: ${b.pct(risk.probability, c.metrics, "failure probability")} (${risk.risk_level}).`,
      );
    return b.draft();
  }
  const siteId = q.siteIds[0];
  if (!siteId) return null;
  const s = await getSiteInsights(input.ctx, siteId, { hours });
  const cite = b.cite({
    table: "device_metrics",
    query: enc({ site_id: siteId, start_date: s.window.start, end_date: s.window.end }),
    label: `metrics of ${siteId}`,
    href: `/sites/${siteId}`,
  });
  b.setWindow(s.window.start, s.window.end);
  b.sampleSize = s.scored_devices;
  b.sampleKind = "devices";
  const score =
    s.health_score === null
      ? "no health score yet"
      : `mean health score ${b.num(s.health_score, cite, "site health score", "", 0)}${b.lit("/100")}`;
  b.line(
    `${siteLabel(input, siteId)}: ${score} over ${b.num(s.scored_devices, cite, "scored devices", "", 0)} scored of ${b.num(s.device_count, cite, "devices", "", 0)} devices; ${b.num(s.at_risk, cite, "at risk", "", 0)} at risk, ${b.num(s.open_alerts, cite, "open alerts", "", 0)} open alerts.`,
  );
  const worst = s.devices.filter((d) => d.top_issue).slice(0, 3);
  if (worst.length)
    b.line(
      `Worst devices: ${worst.map((d) => `${b.lit(d.device_id)} (${b.quote(d.top_issue ?? "", cite, d.device_id)})`).join("; ")}.`,
    );
  const factors = s.factors.filter((f) => f.mean_penalty > 0).slice(0, 3);
  if (factors.length)
    b.line(
      `Costliest factors: ${factors.map((f) => `${f.factor} (${b.num(f.devices_affected, cite, `${f.factor} devices`, "", 0)} devices)`).join(", ")}.`,
    );
  return b.draft();
}

/** "Will till 3 fail?" — one device's failure probability and its factors, or the at-risk list. */
export async function answerFailureRisk(input: IntentInput): Promise<Draft> {
  const { b, q } = input;
  const deviceId = q.deviceIds[0];
  if (deviceId) {
    const r = await predictDeviceFailure(input.ctx, deviceId, { horizonHours: 24 });
    const c = deviceCitations(input, deviceId, r.window.start, r.window.end);
    b.setWindow(r.window.start, r.window.end);
    b.sampleSize = r.sample_size.metrics + r.sample_size.health_checks;
    if (r.state === "waiting_for_first_contact") {
      b.line(`${b.lit(deviceId)} has never reported, so there is no failure risk to give.`);
      return b.draft();
    }
    if (r.state === "failed") b.line(`${b.lit(deviceId)} is ${r.status} now: that is a failure, not a prediction.`);
    else
      b.line(
        `${b.lit(deviceId)}: failure probability within ${b.num(r.horizon_hours, c.metrics, "horizon", "", 0)} h is ${b.pct(r.probability, c.metrics, "failure probability")} (${r.risk_level}, confidence ${b.pct(r.confidence, c.metrics, "confidence")}).`,
      );
    const top = largest(r.factors, (f) => f.probability, 3);
    if (top.length)
      b.line(
        `Factors: ${top.map((f) => `${b.quote(f.detail, c.metrics, f.factor)} (${b.pct(f.probability, c.metrics, `${f.factor} probability`)})`).join("; ")}.`,
      );
    return b.draft();
  }
  const siteId = q.siteIds[0];
  const r = await listAtRiskDevices(input.ctx, { siteId, horizonHours: 24, minProbability: 0.2, limit: q.limit });
  const cite = b.cite({
    table: "device_metrics",
    query: enc({ site_id: siteId, start_date: r.window.start, end_date: r.window.end }),
    label: "device history",
    href: "/insights",
  });
  b.setWindow(r.window.start, r.window.end);
  b.sampleSize = r.evaluated;
  b.sampleKind = "devices";
  const where = siteId ? ` at ${siteLabel(input, siteId)}` : "";
  if (r.devices.length === 0) {
    b.line(
      `No device${where} has a failure probability of ${b.pct(r.min_probability, cite, "threshold")} or more within ${b.num(r.horizon_hours, cite, "horizon", "", 0)} h (${b.num(r.evaluated, cite, "devices evaluated", "", 0)} devices evaluated).`,
    );
    return b.draft();
  }
  b.cite({ table: "devices", ids: r.devices.map((d) => d.device_id), label: "devices at risk", href: "/insights" });
  b.line(
    `${b.num(r.devices.length, cite, "devices at risk", "", 0)} of ${b.num(r.evaluated, cite, "devices evaluated", "", 0)} devices${where} are at risk within ${b.num(r.horizon_hours, cite, "horizon", "", 0)} h: ${r.devices.map((d) => `${b.lit(d.device_id)} ${b.pct(d.probability, cite, `${d.device_id} probability`)} (${d.risk_level})`).join(", ")}.`,
  );
  return b.draft();
}

/** "When is the best time to push the new config to site-003?" — the schedule recommendation. */
export async function answerBestWindow(input: IntentInput): Promise<Draft | null> {
  const { b, q } = input;
  const siteId = q.siteIds[0] ?? input.catalogue.devices.find((d) => d.deviceId === q.deviceIds[0])?.siteId;
  if (!siteId) return null;
  const duration = q.durationMinutes ?? 60;
  const r = await recommendJobSchedule(input.ctx, { siteId, durationMinutes: duration });
  const cite = b.cite({
    table: "site_operating_schedules",
    query: enc({ site_id: siteId }),
    label: `schedule of ${siteId}`,
    href: `/sites/${siteId}`,
  });
  const outcomes = b.cite({
    table: "job_outcomes",
    query: enc({ site_id: siteId }),
    label: `past job outcomes at ${siteId}`,
    href: "/jobs",
  });
  b.setWindow(r.recommended_start, r.recommended_end);
  b.sampleSize = r.data.schedule_days + r.data.volume_hours + r.data.job_outcomes;
  b.line(
    `Best start for a ${b.num(duration, cite, "duration", "", 0)}-minute job at ${siteLabel(input, siteId)}: ${b.lit(r.local_start)} local time (${b.lit(r.recommended_start)}), confidence ${b.pct(r.confidence, cite, "confidence")}.`,
  );
  if (r.reasons.length) b.line(`Why: ${b.quote(r.reasons.join("; "), cite, "reasons")}.`);
  if (r.alternatives.length)
    b.line(
      `Alternatives: ${r.alternatives
        .slice(0, 2)
        .map((a) => b.lit(a.local_start))
        .join(", ")}.`,
    );
  b.line(
    `Based on ${b.num(r.data.schedule_days, cite, "schedule days", "", 0)} schedule days, ${b.num(r.data.volume_hours, cite, "hours of volume", "", 0)} hours of observed volume and ${b.num(r.data.job_outcomes, outcomes, "job outcomes", "", 0)} past job outcomes.`,
  );
  return b.draft();
}

/** "Anything unusual right now?" — the anomaly detectors, fleet-wide or for one site or device. */
export async function answerAnomalies(input: IntentInput): Promise<Draft> {
  const { b, q } = input;
  const r = await detectAnomalies(input.ctx, { siteId: q.siteIds[0], deviceId: q.deviceIds[0] });
  const cite = b.cite({
    table: "alerts",
    ids: r.anomalies.map((a) => a.alert_id).filter((id): id is number => id !== null),
    label: "open alerts",
    href: "/insights",
  });
  b.setWindow(r.window.start, r.window.end);
  b.sampleSize = r.devices_checked;
  b.sampleKind = "devices";
  const scope = q.deviceIds[0] ? b.lit(q.deviceIds[0]) : q.siteIds[0] ? siteLabel(input, q.siteIds[0]) : "the fleet";
  if (r.anomalies.length === 0) {
    b.line(
      `Nothing unusual in ${scope} now (${b.num(r.devices_checked, cite, "devices checked", "", 0)} devices checked against their own last ${b.num(r.window.baseline_hours, cite, "baseline hours", "", 0)} hours).`,
    );
    return b.draft();
  }
  const shown = r.anomalies.slice(0, 5);
  b.line(
    `${b.num(r.anomalies.length, cite, "anomalies", "", 0)} ${r.anomalies.length === 1 ? "anomaly" : "anomalies"} in ${scope} now (${b.num(r.devices_checked, cite, "devices checked", "", 0)} devices checked):`,
  );
  b.line(
    `${shown.map((a) => `${b.quote(a.title, cite, `alert ${a.alert_id}`)} (${a.severity}${a.device_id ? `, ${b.lit(a.device_id)}` : ""})`).join("; ")}.`,
  );
  return b.draft();
}

/** The (at most) `n` items of positive weight, heaviest first. */
function largest<T>(items: readonly T[], weight: (item: T) => number, n: number): T[] {
  return items
    .filter((x) => weight(x) > 0)
    .sort((x, y) => weight(y) - weight(x))
    .slice(0, n);
}
