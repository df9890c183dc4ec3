import { type Db, deviceCommands, devices } from "@homepot/db";
import { and, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { anyRow, pageNewestFirst, usernameOf } from "../rows.ts";
import type { FinalCommandStatus } from "./command-types.ts";

export type CommandRow = typeof deviceCommands.$inferSelect;

/** Where one command stands: what jobs and config history read (device_commands is the source of truth). */
export interface CommandState {
  commandId: string;
  deviceId: string;
  commandType: string;
  status: string;
  jobId: string | null;
  payload: unknown;
  result: unknown;
  errorMessage: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** The state of each of these commands (missing ids are left out), read in chunks of 1000. */
export async function readCommandStates(db: Db, commandIds: string[]): Promise<Map<string, CommandState>> {
  const out = new Map<string, CommandState>();
  for (let i = 0; i < commandIds.length; i += 1000) {
    const rows = await db
      .select({
        commandId: deviceCommands.commandId,
        deviceId: deviceCommands.deviceId,
        commandType: deviceCommands.commandType,
        status: deviceCommands.status,
        jobId: deviceCommands.jobId,
        payload: deviceCommands.payload,
        result: deviceCommands.result,
        errorMessage: deviceCommands.errorMessage,
        createdAt: deviceCommands.createdAt,
        completedAt: deviceCommands.completedAt,
      })
      .from(deviceCommands)
      .where(inArray(deviceCommands.commandId, commandIds.slice(i, i + 1000)));
    for (const r of rows) out.set(r.commandId, r);
  }
  return out;
}

/** Gives up on commands still waiting for their device (a job's timeout), so a late device does not run them. */
export async function expireWaitingCommands(db: Db, commandIds: string[], now: Date): Promise<void> {
  if (commandIds.length === 0) return;
  await db
    .update(deviceCommands)
    .set({ status: "expired", completedAt: now, errorMessage: "timed out waiting for the device" })
    .where(and(inArray(deviceCommands.commandId, commandIds), inArray(deviceCommands.status, ["pending", "sent"])));
}

/** Withdraws a job's commands no device has picked up yet; returns how many. */
export async function cancelPendingCommandsOfJob(db: Db, jobId: string, now: Date): Promise<number> {
  const rows = await db
    .update(deviceCommands)
    .set({ status: "cancelled", cancelledAt: now })
    .where(and(eq(deviceCommands.jobId, jobId), eq(deviceCommands.status, "pending")))
    .returning({ id: deviceCommands.id });
  return rows.length;
}

/** Whether a RUN_HEALTH_CHECK was queued for this device at or after `since`. */
export function hasHealthCheckCommandSince(db: Db, deviceId: string, since: Date): Promise<boolean> {
  const c = deviceCommands;
  return anyRow(db, c, and(eq(c.deviceId, deviceId), eq(c.commandType, "RUN_HEALTH_CHECK"), gte(c.createdAt, since)));
}

/** The device a command is for: its internal id (audit rows) and whether it still exists. */
export async function findCommandDevice(db: Db, deviceId: string) {
  const [row] = await db
    .select({
      id: devices.id,
      deviceId: devices.deviceId,
      isActive: devices.isActive,
      isSimulated: devices.isSimulated,
      lifecycleState: devices.lifecycleState,
    })
    .from(devices)
    .where(eq(devices.deviceId, deviceId))
    .limit(1);
  return row;
}

export async function findCommand(db: Db, commandId: string): Promise<CommandRow | undefined> {
  const [row] = await db.select().from(deviceCommands).where(eq(deviceCommands.commandId, commandId)).limit(1);
  return row;
}

export interface CommandFilter {
  deviceId?: string | undefined;
  jobId?: string | undefined;
  status?: string[] | undefined;
  /** Stored (uppercase) command types. */
  commandType?: string[] | undefined;
  /** Commands of the devices of this site. */
  siteId?: string | undefined;
  /** The commands the caller may see (tenants): a condition from tenants/authorize's inScope. */
  visible?: SQL | undefined;
  /** Created at or after `since`, before `until`. */
  since?: Date | undefined;
  until?: Date | undefined;
  limit: number;
  offset: number;
}

export type CommandListRow = CommandRow & { createdByUsername: string | null; siteId: string | null };

export async function listCommandRows(
  db: Db,
  filter: CommandFilter,
): Promise<{ rows: CommandListRow[]; total: number }> {
  const conditions: SQL[] = [];
  if (filter.deviceId) conditions.push(eq(deviceCommands.deviceId, filter.deviceId));
  if (filter.jobId) conditions.push(eq(deviceCommands.jobId, filter.jobId));
  if (filter.status?.length) conditions.push(inArray(deviceCommands.status, filter.status));
  if (filter.commandType?.length) conditions.push(inArray(deviceCommands.commandType, filter.commandType));
  if (filter.siteId)
    conditions.push(
      inArray(
        deviceCommands.deviceId,
        db.select({ deviceId: devices.deviceId }).from(devices).where(eq(devices.siteId, filter.siteId)),
      ),
    );
  if (filter.visible) conditions.push(filter.visible);
  if (filter.since) conditions.push(gte(deviceCommands.createdAt, filter.since));
  if (filter.until) conditions.push(lt(deviceCommands.createdAt, filter.until));
  const where = conditions.length ? and(...conditions) : undefined;
  return pageNewestFirst(db, deviceCommands, deviceCommands.createdAt, where, filter, {
    // Who queued it, by name (created_by holds the user id as text, or a device or system label).
    createdByUsername: usernameOf("device_commands.created_by"),
    siteId: sql<string | null>`(select d.site_id from devices d where d.device_id = device_commands.device_id)`,
  });
}

/** Audits one step of a command's lifecycle (`command_<status>`), inside the caller's transaction. */
export async function auditTransition(
  ctx: Context,
  db: Db,
  row: CommandRow,
  step: "queued" | "sent" | FinalCommandStatus,
  from: string | null,
  devicePk: number | null,
  extra?: Record<string, unknown>,
): Promise<void> {
  await recordAudit(
    ctx,
    {
      eventType: `command_${step}`,
      description: `Command ${row.commandId} (${row.commandType}) for ${row.deviceId}: ${from ? `${from} → ` : ""}${step}`,
      deviceId: devicePk,
      oldValues: from ? { status: from } : undefined,
      newValues: { status: row.status, command_id: row.commandId, command_type: row.commandType },
      metadata: { command_id: row.commandId, device_id: row.deviceId, job_id: row.jobId, ...extra },
    },
    db,
  );
}

/** Internal ids of devices by device_id, for audit rows of many commands at once. */
export async function devicePks(db: Db, deviceIds: string[]): Promise<Map<string, number>> {
  if (deviceIds.length === 0) return new Map();
  const rows = await db
    .select({ id: devices.id, deviceId: devices.deviceId })
    .from(devices)
    .where(inArray(devices.deviceId, [...new Set(deviceIds)]));
  return new Map(rows.map((r) => [r.deviceId, r.id]));
}
