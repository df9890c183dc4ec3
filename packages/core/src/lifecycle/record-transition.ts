import { type Db, deviceLifecycleEvents, deviceStateHistory, devices, type LifecycleAction } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import { actorLabel, type Context } from "../context.ts";
import { type DeviceRow, lockDevice } from "../devices/device.repository.ts";
import { bumpKeyEpoch } from "../devices/key-epoch.ts";
import { announce } from "../devices/lifecycle-bus.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { findOne } from "../rows.ts";

export type LifecycleState = DeviceRow["lifecycleState"];

export interface TransitionInput {
  reason?: string | null | undefined;
  /** Repeating a request with the same key (per device and action) changes nothing and answers the same. */
  idempotencyKey?: string | null | undefined;
}

export interface Transition {
  action: LifecycleAction;
  to: LifecycleState;
  /** Extra device columns written in the same update (site, key, active flag). */
  set?: Partial<typeof devices.$inferInsert>;
  epochId?: string | null;
  siteId?: string;
  extra?: Record<string, unknown>;
}

const AUDIT_EVENT: Record<LifecycleAction, string> = {
  suspend: "device_suspended",
  resume: "device_resumed",
  unpair: "device_unpaired",
  reenrol: "device_reenrolled",
  transfer: "device_transferred",
  approve: "device_approved",
};

/** The earlier event of the same request (same device, action and idempotency key), if any. */
export async function findReplay(db: Db, deviceId: string, action: LifecycleAction, key: string | null | undefined) {
  if (!key) return undefined;
  const e = deviceLifecycleEvents;
  return findOne(db, e, and(eq(e.deviceId, deviceId), eq(e.action, action), eq(e.idempotencyKey, key)));
}

/**
 * Applies one lifecycle transition inside the caller's transaction: the device row, a device_lifecycle_events
 * row, a device_state_history row and the audit entry, so a failure anywhere leaves the device as it was.
 */
export async function recordTransition(
  ctx: Context,
  tx: Db,
  device: DeviceRow,
  t: Transition,
  input: TransitionInput,
): Promise<DeviceRow> {
  const now = ctx.clock.now();
  const reason = input.reason?.trim() || null;
  const by = actorLabel(ctx.actor).slice(0, 255);
  const siteId = t.siteId ?? device.siteId;
  const [after] = await tx
    .update(devices)
    .set({ ...t.set, lifecycleState: t.to, updatedAt: now })
    .where(eq(devices.id, device.id))
    .returning();
  if (!after) throw new Error(`device ${device.deviceId} vanished during ${t.action}`);
  await tx.insert(deviceLifecycleEvents).values({
    timestamp: now,
    deviceId: device.deviceId,
    action: t.action,
    fromState: device.lifecycleState,
    toState: t.to,
    siteId,
    epochId: t.epochId ?? null,
    reason,
    changedBy: by,
    idempotencyKey: input.idempotencyKey ?? null,
    extraData: t.extra ?? null,
  });
  await tx.insert(deviceStateHistory).values({
    timestamp: now,
    deviceId: device.deviceId,
    previousState: device.lifecycleState,
    newState: t.to,
    changedBy: by,
    reason: `${t.action}${reason ? `: ${reason}` : ""}`.slice(0, 500),
    extraData: { kind: "lifecycle", action: t.action, site_id: siteId, epoch_id: t.epochId ?? null, ...t.extra },
    provenance: device.isSimulated ? "simulated" : "real",
  });
  await recordAudit(
    ctx,
    {
      eventType: AUDIT_EVENT[t.action],
      description: `Device ${device.deviceId} ${t.action}: ${device.lifecycleState} → ${t.to}${reason ? ` (${reason})` : ""}`,
      deviceId: device.id,
      oldValues: { lifecycle_state: device.lifecycleState, site_id: device.siteId },
      newValues: { lifecycle_state: t.to, site_id: siteId, reason, epoch_id: t.epochId ?? null },
      metadata: { idempotency_key: input.idempotencyKey ?? null },
    },
    tx,
  );
  return after;
}

export interface TransitionResult {
  device: DeviceRow;
  /** True when nothing changed: a repeated request (same idempotency key) or the device already there. */
  replayed: boolean;
  /** The new key, shown once (re-enrol, transfer). */
  apiKey?: string;
  epochId: string | null;
}

export interface Plan {
  t: Transition;
  apiKey?: string;
}

/**
 * Runs one transition of a device in a single transaction: locks the device, answers a replay of the same
 * idempotency key without side effects, lets `plan` check the current state (null: already done) and do its
 * own writes, then records the transition and bumps the key epoch so every instance re-reads the device.
 */
export async function runTransition(
  ctx: Context,
  deviceId: string,
  action: LifecycleAction,
  input: TransitionInput,
  plan: (tx: Db, device: DeviceRow, now: Date) => Promise<Plan | null>,
): Promise<TransitionResult> {
  const result = await ctx.db.transaction(async (tx): Promise<TransitionResult> => {
    const device = await lockDevice(tx, deviceId);
    if (!device?.isActive) throw new NotFoundError(`device ${deviceId} not found`);
    const replay = await findReplay(tx, device.deviceId, action, input.idempotencyKey);
    if (replay) return { device, replayed: true, epochId: replay.epochId };
    const planned = await plan(tx, device, ctx.clock.now());
    if (!planned) return { device, replayed: true, epochId: null };
    const after = await recordTransition(ctx, tx, device, planned.t, input);
    await bumpKeyEpoch(tx);
    return {
      device: after,
      replayed: false,
      epochId: planned.t.epochId ?? null,
      ...(planned.apiKey ? { apiKey: planned.apiKey } : {}),
    };
  });
  if (!result.replayed) announce([result.device]);
  return result;
}

/** 409 naming the state the device is in and the states the action needs. */
export function wrongState(device: DeviceRow, action: LifecycleAction, allowed: LifecycleState[]): ConflictError {
  return new ConflictError(
    `Device ${device.deviceId} is ${device.lifecycleState}; only ${allowed.join(" or ")} devices may be ${action === "reenrol" ? "re-enrolled" : AUDIT_EVENT[action].slice(7)}`,
  );
}
