import { randomUUID } from "node:crypto";
import { deviceCommands } from "@homepot/db";
import { actorLabel, type Context } from "../context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { assertCommandPermitted } from "../permissions/assert-command-permitted.ts";
import { checkRemotePayload } from "../permissions/grants.ts";
import { insertOne } from "../rows.ts";
import { auditTransition, type CommandRow, findCommandDevice } from "./command.repository.ts";
import { commandBus } from "./command-bus.ts";
import { DEFAULT_COMMAND_TTL_S, normalizeCommandType } from "./command-types.ts";

export interface QueueCommandInput {
  deviceId: string;
  /** Any case: "reboot", "UPDATE_CONFIG", "run-health-check". */
  commandType: string;
  payload?: Record<string, unknown> | null;
  /** When the command stops being handed out; default now + 24 h. */
  expiresAt?: Date | null;
  /** Alternative to expiresAt: seconds from now. */
  expiresInS?: number | null;
  jobId?: string | null;
}

const MAX_PAYLOAD_BYTES = 64 * 1024;

/** Queues one command for an active device (pending); emits `queued` after commit. */
export async function queueCommand(ctx: Context, input: QueueCommandInput): Promise<CommandRow> {
  const commandType = normalizeCommandType(input.commandType);
  const now = ctx.clock.now();
  const expiresAt = input.expiresAt ?? new Date(now.getTime() + (input.expiresInS ?? DEFAULT_COMMAND_TTL_S) * 1000);
  if (expiresAt.getTime() <= now.getTime()) throw new ValidationError("expires_at must be in the future", "expires_at");
  const payload = input.payload ?? {};
  if (typeof payload !== "object" || Array.isArray(payload))
    throw new ValidationError("payload must be a JSON object", "payload");
  if (JSON.stringify(payload).length > MAX_PAYLOAD_BYTES)
    throw new ValidationError("payload is larger than 64 KiB", "payload");
  if (
    commandType === "UPDATE_CONFIG" &&
    typeof payload.config_url !== "string" &&
    (typeof payload.config !== "object" || payload.config === null)
  ) {
    throw new ValidationError(
      "UPDATE_CONFIG needs payload.config_url (or an inline payload.config object)",
      "payload.config_url",
    );
  }

  checkRemotePayload(commandType, payload);

  const row = await ctx.db.transaction(async (tx) => {
    const device = await findCommandDevice(tx, input.deviceId);
    if (!device?.isActive) throw new NotFoundError(`Device ${input.deviceId} not found`);
    if (device.lifecycleState !== "active")
      throw new ConflictError(
        `Device ${input.deviceId} is ${device.lifecycleState}: it takes no commands until resumed`,
      );
    await assertCommandPermitted(tx, device.deviceId, commandType, payload);
    const created = await insertOne(tx, deviceCommands, {
      commandId: `cmd-${randomUUID()}`,
      deviceId: device.deviceId,
      commandType,
      payload,
      status: "pending",
      createdBy: actorLabel(ctx.actor),
      jobId: input.jobId ?? null,
      createdAt: now,
      expiresAt,
    });
    // A terminal command is audited with what was typed (the actor of the row is who typed it).
    const typed =
      commandType === "RUN_COMMAND" ? payload.command : commandType === "RUN_SCRIPT" ? payload.script : undefined;
    await auditTransition(
      ctx,
      tx,
      created,
      "queued",
      null,
      device.id,
      typed === undefined
        ? undefined
        : { typed: String(typed).slice(0, 4096), run_as_root: payload.run_as_root === true },
    );
    return created;
  });
  commandBus.emit(
    "queued",
    { commandId: row.commandId, deviceId: row.deviceId, commandType, jobId: row.jobId },
    ctx.logger,
  );
  return row;
}
