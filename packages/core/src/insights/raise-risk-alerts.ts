import { raiseDetectedAlerts } from "../alerts/raise-detected-alerts.ts";
import type { Context } from "../context.ts";
import { listAtRiskDevices } from "./list-at-risk-devices.ts";

/**
 * Hands the devices at risk of failing to the failure-risk alert rules (each rule has its own level). A device
 * already in error is "failed", not at risk: the device-in-error rule covers it.
 */
export async function raiseRiskAlerts(ctx: Context): Promise<number> {
  const list = await listAtRiskDevices(ctx, { minProbability: 0.05, limit: 100_000 });
  const found = list.devices
    .filter((d) => d.state !== "failed")
    .map((d) => ({
      key: `risk:${d.device_id}`,
      kind: "failure_risk",
      severity: d.risk_level === "critical" ? "critical" : "warning",
      deviceId: d.device_id,
      siteId: d.site_id,
      title: `Failure risk ${Math.round(d.probability * 100)} % for ${d.device_id}`,
      score: d.probability,
      details: { risk_level: d.risk_level, confidence: d.confidence, top_factors: d.top_factors },
    }));
  const raised = await raiseDetectedAlerts(ctx, "failure_risk", found, { full: true });
  return raised.size;
}
