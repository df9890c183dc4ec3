import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { parseTime } from "../telemetry/ingest-metrics.ts";
import { reportingDevice } from "./reporting-device.ts";

/**
 * `POST /agent/audit`: an event the device records about itself (agent started, a grant changed…). Stored in
 * audit_logs against the device and its site. The type is prefixed `agent_` (unless it already is), so a device
 * can never write a row that reads like a server event (a login, a key rotation).
 */
export async function recordDeviceAudit(
  ctx: Context,
  input: {
    device_id: string;
    event_type: string;
    description: string;
    timestamp?: string | null;
    metadata?: Record<string, unknown> | null;
  },
): Promise<void> {
  const device = await reportingDevice(ctx, [input.device_id]);
  const now = ctx.clock.now();
  const at = input.timestamp ? parseTime(input.timestamp, "timestamp", now) : now;
  const type = input.event_type.toLowerCase();
  await recordAudit(ctx, {
    eventType: type.startsWith("agent_") ? type : `agent_${type}`,
    description: input.description,
    deviceId: device.id,
    siteId: device.sitePk ?? null,
    metadata: { ...(input.metadata ?? {}), reported_by: "device", device_timestamp: at.toISOString() },
  });
}
