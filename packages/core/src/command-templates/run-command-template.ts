import { queueCommand } from "../commands/queue-command.ts";
import type { Context } from "../context.ts";
import { AppError, MissingPermissionsError, ValidationError } from "../errors.ts";
import { authorize } from "../tenants/authorize.ts";
import { auditTemplate } from "./audit-template.ts";
import { fillTemplate } from "./fill-template.ts";
import { getCommandTemplate } from "./get-command-template.ts";
import { activeDevicesOfSite } from "./template.repository.ts";

export interface RunCommandTemplateInput {
  deviceIds?: string[] | undefined;
  /** Every active device of this site. */
  siteId?: string | undefined;
  params?: Record<string, string> | undefined;
  expiresInS?: number | undefined;
}

export interface TemplateRunOutcome {
  templateId: string;
  commandType: string;
  payload: Record<string, unknown>;
  queued: { deviceId: string; commandId: string }[];
  failed: { deviceId: string; error: string; code: string; missingPermissions?: string[] }[];
}

const MAX_TARGETS = 1000;

/**
 * Queues the template's command (parameters filled in) on each target device through queueCommand, so every
 * command is checked (active device, the owner's grants) and audited as if sent by hand. A device that refuses
 * is reported in `failed`; the others still get theirs.
 */
export async function runCommandTemplate(
  ctx: Context,
  templateId: string,
  input: RunCommandTemplateInput,
): Promise<TemplateRunOutcome> {
  const template = await getCommandTemplate(ctx, templateId);
  const payload = fillTemplate(template.payload, template.parameters, input.params ?? {});
  if (!input.deviceIds?.length && !input.siteId)
    throw new ValidationError("Give a target: device_ids or site_id", "device_ids");
  const targets = input.deviceIds?.length
    ? [...new Set(input.deviceIds)]
    : await activeDevicesOfSite(ctx.db, input.siteId as string);
  if (targets.length === 0) throw new ValidationError(`Site ${input.siteId} has no active device`, "site_id");
  if (targets.length > MAX_TARGETS)
    throw new ValidationError(`At most ${MAX_TARGETS} devices per run (got ${targets.length})`, "device_ids");

  const outcome: TemplateRunOutcome = {
    templateId,
    commandType: template.commandType,
    payload,
    queued: [],
    failed: [],
  };
  for (const deviceId of targets) {
    try {
      // Another tenant's device is reported like an unknown one.
      await authorize(ctx, "operate", { deviceId });
      const row = await queueCommand(ctx, {
        deviceId,
        commandType: template.commandType,
        payload,
        expiresInS: input.expiresInS ?? null,
      });
      outcome.queued.push({ deviceId, commandId: row.commandId });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcome.failed.push({
        deviceId,
        error: error.message,
        code: error.code,
        ...(error instanceof MissingPermissionsError ? { missingPermissions: [...error.missingPermissions] } : {}),
      });
    }
  }
  await auditTemplate(ctx, ctx.db, "run", template, {
    metadata: {
      site_id: input.siteId ?? null,
      queued: outcome.queued.map((q) => q.commandId),
      failed: outcome.failed.map((f) => f.deviceId),
    },
  });
  return outcome;
}
