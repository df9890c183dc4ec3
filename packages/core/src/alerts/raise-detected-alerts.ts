import { defaultTemplate, renderTemplate } from "@homepot/contracts/alert-templates";
import type { RuleConditionValue, RuleScopeValue } from "@homepot/contracts/alerts";
import type { Context } from "../context.ts";
import { type AlertRow, listActiveOnDevices, listRules, listStaleActive } from "./alert.repository.ts";
import { loadLiveDevices } from "./engine-state.ts";
import { autoResolveAlert, raiseAlert } from "./raise-alert.ts";
import { inScope, SEVERITY_RANK, siteInScope } from "./rule-logic.ts";

/** A condition a periodic detector found (an anomaly, a failure risk); `key` is the same while it lasts. */
export interface DetectedCondition {
  key: string;
  kind: string;
  severity: string;
  deviceId: string | null;
  siteId: string | null;
  title: string;
  /** Anomaly score, or failure probability (0–1). */
  score: number;
  details: Record<string, unknown>;
}

/** Detected conditions not seen again for this long resolve on their own. */
export const DETECTED_STALE_MS = 60 * 60_000;

/**
 * Raises the alerts of the anomaly (or failure-risk) rules for what a detector found: one alert per rule and
 * condition, at the detector's severity when it is higher than the rule's. After a full run, alerts of that kind not
 * seen for an hour are resolved. Returns the alert of each condition (by key) that some rule raised.
 */
export async function raiseDetectedAlerts(
  ctx: Context,
  type: "anomaly" | "failure_risk",
  found: readonly DetectedCondition[],
  options: { full: boolean; assessedDeviceIds?: readonly string[] },
): Promise<Map<string, AlertRow>> {
  const rules = (await listRules(ctx.db)).filter((r) => r.enabled && r.type === type);
  const ids = [...new Set(found.map((f) => f.deviceId).filter((d): d is string => d !== null))];
  const facts = new Map(
    (ids.length ? await loadLiveDevices(ctx.db, { deviceIds: ids }) : []).map((d) => [d.deviceId, d]),
  );
  const out = new Map<string, AlertRow>();
  const raised = new Set<string>();
  for (const f of found) {
    const d = f.deviceId ? facts.get(f.deviceId) : undefined;
    if (d && (d.status === "maintenance" || d.lifecycle !== "active")) continue;
    for (const rule of rules) {
      const c = rule.params as RuleConditionValue;
      const scope = rule.scope as Partial<RuleScopeValue>;
      const level = c.type === "anomaly" ? c.min_score : c.type === "failure_risk" ? c.min_probability : Infinity;
      if (Math.abs(f.score) < level) continue;
      if (!(d ? inScope(scope, d) : siteInScope(scope, f.siteId))) continue;
      const severity =
        (SEVERITY_RANK[f.severity] ?? 0) > (SEVERITY_RANK[rule.severity] ?? 0) ? f.severity : rule.severity;
      const vars = {
        rule: rule.name,
        title: f.title,
        device_id: f.deviceId,
        site_id: f.siteId,
        value: c.type === "failure_risk" ? Math.round(f.score * 100) : f.score,
        severity,
      };
      const { alert } = await raiseAlert(ctx, {
        fingerprint: `r${rule.id}:${f.key}`,
        source: "anomaly",
        kind: f.kind,
        severity,
        ruleId: rule.id,
        deviceId: f.deviceId,
        siteId: f.siteId,
        title: f.title,
        message: renderTemplate(rule.messageTemplate ?? defaultTemplate(c), vars),
        details: f.details,
        score: f.score,
      });
      raised.add(alert.fingerprint);
      if (!out.has(f.key)) out.set(f.key, alert);
    }
  }
  if (options.assessedDeviceIds?.length) {
    // Devices assessed again and no longer found: their alerts of this kind cleared.
    const kind = type === "failure_risk" ? "failure_risk" : undefined;
    for (const a of await listActiveOnDevices(ctx.db, options.assessedDeviceIds, "anomaly", kind))
      if (!raised.has(a.fingerprint) && (a.kind === "failure_risk") === (type === "failure_risk"))
        await autoResolveAlert(ctx, a.fingerprint, "Condition cleared: no longer detected on new data");
  }
  if (options.full) {
    const stale = await listStaleActive(ctx.db, "anomaly", new Date(ctx.clock.now().getTime() - DETECTED_STALE_MS));
    for (const a of stale)
      if ((a.kind === "failure_risk") === (type === "failure_risk"))
        await autoResolveAlert(ctx, a.fingerprint, "Condition cleared: not detected for an hour");
  }
  return out;
}
