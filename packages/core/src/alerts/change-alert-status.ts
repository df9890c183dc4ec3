import { actorLabel, type Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { type AlertRow, findAlert, updateAlert } from "./alert.repository.ts";
import { audit, closeAlert } from "./raise-alert.ts";

/** The alert after an operator's change, and whether it was in that state already. */
type StatusChange = { alert: AlertRow; already: boolean };

async function load(ctx: Context, id: number): Promise<AlertRow> {
  const alert = await findAlert(ctx.db, id);
  if (!alert) throw new NotFoundError(`Alert ${id} not found`);
  return alert;
}

/** An operator takes an open alert: it stops escalating; a resolved one cannot be acknowledged (409). */
export async function acknowledgeAlert(ctx: Context, id: number, note?: string): Promise<StatusChange> {
  const alert = await load(ctx, id);
  if (alert.status === "resolved") throw new ConflictError(`Alert ${id} is already resolved`);
  if (alert.status === "acknowledged") return { alert, already: true };
  const row = await ctx.db.transaction(async (tx) => {
    const row = await updateAlert(tx, id, {
      status: "acknowledged",
      acknowledgedAt: ctx.clock.now(),
      acknowledgedBy: actorLabel(ctx.actor).slice(0, 255),
      ...(note ? { resolutionNote: note.slice(0, 2000) } : {}),
    });
    await audit(ctx, tx, row, "alert_acknowledged", `Alert ${id} acknowledged${note ? `: ${note}` : ""}`, {
      status: alert.status,
    });
    return row;
  });
  return { alert: row, already: false };
}

/** Resolves an alert by hand, with an optional note (idempotent: a resolved alert is returned as it is). */
export async function resolveAlert(ctx: Context, id: number, note?: string): Promise<StatusChange> {
  const alert = await load(ctx, id);
  if (alert.resolved) return { alert, already: true };
  return { alert: await closeAlert(ctx, alert, { note: note ?? null, by: actorLabel(ctx.actor) }), already: false };
}
