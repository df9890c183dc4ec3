import type { AgentLogLine } from "@homepot/contracts/agent";
import type { Context } from "../context.ts";
import { redactSecretString, redactSecrets } from "../redact.ts";
import { parseTime } from "../telemetry/ingest-metrics.ts";
import { insertDeviceLogs } from "./device-reports.repository.ts";
import { reportingDevice } from "./reporting-device.ts";

/**
 * `POST /agent/logs`: live log lines of a device (one, or a batch of up to 500), for the device page's Live logs
 * tab. Secret-looking values are redacted before they are stored; retention trims them like telemetry.
 */
export async function recordDeviceLogs(
  ctx: Context,
  lines: readonly AgentLogLine[],
): Promise<{ device_id: string; saved_count: number }> {
  const device = await reportingDevice(
    ctx,
    lines.map((l) => l.device_id),
  );
  const now = ctx.clock.now();
  const single = lines.length === 1;
  await insertDeviceLogs(
    ctx.db,
    lines.map((l, i) => ({
      deviceId: device.deviceId,
      timestamp: l.timestamp ? parseTime(l.timestamp, single ? "timestamp" : `${i}.timestamp`, now) : now,
      receivedAt: now,
      level: l.level,
      category: l.category,
      message: redactSecretString(l.message),
      context: l.context ? redactSecrets(l.context) : null,
    })),
  );
  return { device_id: device.deviceId, saved_count: lines.length };
}
