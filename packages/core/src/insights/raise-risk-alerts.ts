import { raiseDetectedAlerts } from "../alerts/raise-detected-alerts.ts";
import type { Context } from "../context.ts";
import { listActiveDevices } from "./insights.repository.ts";
import { listAtRiskDevices } from "./list-at-risk-devices.ts";

/**
 * Hands the devices at risk of failing to the failure-risk alert rules (each rule has its own level). A device
 * already in error is "failed", not at risk: the device-in-error rule covers it.
 *
 * With `since` (the previous sweep) only devices with new data since then are assessed — the fleet is not rescanned
 * every few minutes — and the risk alerts of those that are no longer at risk resolve; a device without new data
 * keeps its assessment. Without it, every device is assessed and risk alerts not raised again for an hour resolve.
 */
export async function raiseRiskAlerts(
  ctx: Context,
  options: { since?: Date } = {},
): Promise<{ evaluated: number; raised: number }> {
  const refs = options.since ? await listActiveDevices(ctx.db, undefined, options.since) : undefined;
  if (refs?.length === 0) return { evaluated: 0, raised: 0 };
  const list = await listAtRiskDevices(ctx, {
    minProbability: 0.05,
    limit: 100_000,
    ...(refs ? { devices: refs } : {}),
  });
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
  const raised = await raiseDetectedAlerts(ctx, "failure_risk", found, {
    full: refs === undefined,
    ...(refs ? { assessedDeviceIds: refs.map((r) => r.deviceId) } : {}),
  });
  return { evaluated: list.evaluated, raised: raised.size };
}
