import type { AgentConfigHistoryBody } from "@homepot/contracts/agent";
import { configurationHistory } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { parseTime } from "../telemetry/ingest-metrics.ts";
import { reportingDevice } from "./reporting-device.ts";

/**
 * `POST /agent/config-history`: the device records a change it applied (a composed push command, a local
 * config edit) as a configuration_history row for the device (`changed_by` agent, `change_type` automated).
 */
export async function recordDeviceConfigChange(ctx: Context, input: AgentConfigHistoryBody): Promise<number> {
  const device = await reportingDevice(ctx, [input.device_id]);
  const now = ctx.clock.now();
  const at = input.timestamp ? parseTime(input.timestamp, "timestamp", now) : now;
  const rolledBackAt = input.rolled_back_at ? parseTime(input.rolled_back_at, "rolled_back_at", now) : null;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(configurationHistory)
      .values({
        timestamp: at,
        entityType: "device",
        entityId: device.deviceId,
        parameterName: input.parameter_name,
        oldValue: input.old_value ?? null,
        newValue: input.new_value ?? null,
        changedBy: "agent",
        changeReason: input.change_reason ?? `${input.action} reported by the device`,
        changeType: "automated",
        performanceBefore: input.performance_before ?? null,
        performanceAfter: input.performance_after ?? null,
        wasSuccessful: input.success,
        wasRolledBack: input.was_rolled_back,
        rollbackReason: input.rollback_reason ?? null,
      })
      .returning({ id: configurationHistory.id });
    if (!row) throw new Error("insert returned no row");
    await recordAudit(
      ctx,
      {
        eventType: "device_config_reported",
        description: `Device ${device.deviceId} reported ${input.action} on ${input.parameter_name}`,
        deviceId: device.id,
        siteId: device.sitePk ?? null,
        newValues: input.new_value ?? null,
        metadata: {
          config_history_id: row.id,
          action: input.action,
          success: input.success,
          rollback_success: input.rollback_success ?? null,
          rollback_performance: input.rollback_performance ?? null,
          rolled_back_at: rolledBackAt?.toISOString() ?? null,
        },
      },
      tx,
    );
    return row.id;
  });
}
