import type { Db } from "@homepot/db";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import {
  type AlertRow,
  findActiveAlert,
  findAlert,
  findRecentlyResolved,
  insertActiveAlert,
  reopenAlert,
  resolveActiveAlert,
  touchAlert,
} from "./alert.repository.ts";
import { notifyAlertChange } from "./notify.ts";

/** A condition that re-opens within this time of being resolved re-opens its alert (counted as a flap). */
export const FLAP_WINDOW_MS = 15 * 60_000;
/** From this many flaps on, an alert is "flapping": it stays one alert and sends no more notifications. */
export const FLAPPING_AT = 3;

export interface RaiseInput {
  fingerprint: string;
  source: "rule" | "anomaly" | "device";
  kind: string;
  severity: string;
  ruleId?: number | null;
  deviceId?: string | null;
  siteId?: string | null;
  title: string;
  message?: string | null;
  details?: unknown;
  score?: number | null;
}

export type AlertChange = "opened" | "reopened" | "updated";

/**
 * Raises the alert of a condition, deduplicated by fingerprint (rule + device + condition): an active alert is
 * updated (occurrences, last seen), one resolved a moment ago re-opens (a flap), otherwise a new one opens.
 * Opening and re-opening are audited and
 * notified (not while flapping).
 */
export async function raiseAlert(ctx: Context, input: RaiseInput): Promise<{ alert: AlertRow; change: AlertChange }> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (tx) => {
    const active = await findActiveAlert(tx, input.fingerprint);
    if (active) {
      const alert = await touchAlert(tx, active.id, now, {
        severity: input.severity,
        score: input.score ?? active.score,
        ...(input.details === undefined ? {} : { details: input.details }),
        ...(input.message ? { message: input.message } : {}),
      });
      return { alert, change: "updated" as const };
    }
    const recent = await findRecentlyResolved(tx, input.fingerprint, new Date(now.getTime() - FLAP_WINDOW_MS));
    if (recent) {
      // Guarded by `resolved`: when another instance re-opened it first, this one only counts an occurrence.
      const alert = await reopenAlert(tx, recent.id, {
        status: "open",
        resolved: false,
        resolvedAt: null,
        resolvedBy: null,
        resolutionNote: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        lastSeenAt: now,
        severity: input.severity,
        flaps: recent.flaps + 1,
        occurrences: recent.occurrences + 1,
        ...(input.message ? { message: input.message } : {}),
      });
      if (!alert) return touchRacedAlert(tx, input, now);
      await audit(
        ctx,
        tx,
        alert,
        "alert_reopened",
        `Alert ${alert.id} re-opened (flap ${alert.flaps}): ${alert.title}`,
      );
      return { alert, change: "reopened" as const };
    }
    // The unique index on active fingerprints makes a second instance's insert of the same condition a no-op.
    const alert = await insertActiveAlert(tx, {
      createdAt: now,
      lastSeenAt: now,
      fingerprint: input.fingerprint,
      source: input.source,
      kind: input.kind,
      severity: input.severity,
      ruleId: input.ruleId ?? null,
      deviceId: input.deviceId ?? null,
      siteId: input.siteId ?? null,
      title: input.title.slice(0, 500),
      message: input.message?.slice(0, 2000) ?? null,
      details: input.details ?? null,
      score: input.score ?? null,
    });
    if (!alert) return touchRacedAlert(tx, input, now);
    await audit(ctx, tx, alert, "alert_opened", `Alert ${alert.id} opened: ${alert.title}`);
    return { alert, change: "opened" as const };
  });
  if (result.change !== "updated" && result.alert.flaps < FLAPPING_AT)
    await notifyAlertChange(ctx, result.alert, "opened");
  return result;
}

/** Another instance opened the same condition a moment ago: count this sighting on its alert. */
async function touchRacedAlert(tx: Db, input: RaiseInput, now: Date): Promise<{ alert: AlertRow; change: "updated" }> {
  const active = await findActiveAlert(tx, input.fingerprint);
  if (!active) throw new ConflictError(`Alert ${input.fingerprint} changed under us; raised again on the next signal`);
  return { alert: await touchAlert(tx, active.id, now), change: "updated" };
}

/** Resolves the active alert of a condition that cleared (by the system); returns it, or undefined when none was active. */
export async function autoResolveAlert(ctx: Context, fingerprint: string, why: string): Promise<AlertRow | undefined> {
  const active = await findActiveAlert(ctx.db, fingerprint);
  if (!active) return undefined;
  return closeAlert(ctx, active, { note: why, by: "system" });
}

/** Resolves `alert` (already loaded, active) inside its own transaction; audited. */
export async function closeAlert(
  ctx: Context,
  alert: AlertRow,
  how: { note: string | null; by: string },
): Promise<AlertRow> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    // Guarded by `resolved`: when two instances clear the same condition, one resolves, audits and notifies.
    const row = await resolveActiveAlert(tx, alert.id, {
      status: "resolved",
      resolved: true,
      resolvedAt: now,
      resolvedBy: how.by.slice(0, 255),
      resolutionNote: how.note?.slice(0, 2000) ?? null,
    });
    if (!row) return undefined;
    await audit(ctx, tx, row, "alert_resolved", `Alert ${row.id} resolved${how.note ? `: ${how.note}` : ""}`, {
      status: alert.status,
    });
    return row;
  });
  if (!row) return (await findAlert(ctx.db, alert.id)) ?? alert;
  ctx.signals?.emit({ kind: "alert_closed", fingerprint: row.fingerprint });
  if (row.flaps < FLAPPING_AT) await notifyAlertChange(ctx, row, "resolved");
  return row;
}

export async function audit(
  ctx: Context,
  tx: Db,
  alert: AlertRow,
  eventType: string,
  description: string,
  oldValues?: unknown,
): Promise<void> {
  await recordAudit(
    ctx,
    {
      eventType,
      description,
      ...(oldValues === undefined ? {} : { oldValues }),
      newValues: { status: alert.status, severity: alert.severity, note: alert.resolutionNote },
      metadata: {
        alert_id: alert.id,
        rule_id: alert.ruleId,
        kind: alert.kind,
        device_id: alert.deviceId,
        site_id: alert.siteId,
      },
    },
    tx,
  );
}
