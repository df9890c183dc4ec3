import type { AgentAlertBody } from "@homepot/contracts/alerts";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { ForbiddenError } from "../errors.ts";
import type { AlertRow } from "./alert.repository.ts";
import { raiseAlert } from "./raise-alert.ts";

/** The device's own words for severity, on our three levels. */
const SEVERITY: Record<string, string> = {
  critical: "critical",
  error: "critical",
  high: "critical",
  medium: "warning",
  warning: "warning",
  low: "info",
  info: "info",
};

/**
 * An alert a device raised itself (POST /agent/alert, the original HOMEPOT's shape): same table and lifecycle as
 * rule alerts, deduplicated per device, category and title (raised again = one more occurrence).
 */
export async function raiseDeviceAlert(
  ctx: Context,
  device: { deviceId: string; siteId: string },
  body: z.infer<typeof AgentAlertBody>,
): Promise<AlertRow> {
  if (body.device_id !== device.deviceId)
    throw new ForbiddenError("Authenticated device does not match payload device_id");
  const title = body.title.trim();
  const { alert } = await raiseAlert(ctx, {
    fingerprint: `device:${device.deviceId}:${body.category}:${title.toLowerCase()}`.slice(0, 255),
    source: "device",
    kind: "device_reported",
    severity: SEVERITY[body.severity] ?? "warning",
    deviceId: device.deviceId,
    siteId: device.siteId,
    title,
    message: body.description ?? title,
    details: {
      category: body.category,
      reported_severity: body.severity,
      reported_at: (body.timestamp ?? ctx.clock.now()).toISOString(),
    },
  });
  return alert;
}
