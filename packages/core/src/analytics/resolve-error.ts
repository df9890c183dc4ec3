import { errorLogs } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import { actorLabel, type Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { presentErrorLog } from "./present.ts";

/** Marks an error_logs row resolved (or reopens it), recording who and when, and audits it. */
export async function resolveError(ctx: Context, id: number, input: { resolved: boolean; note?: string | undefined }) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(errorLogs).where(eq(errorLogs.id, id)).for("update");
    if (!before) throw new NotFoundError(`Error ${id} not found`);
    const now = ctx.clock.now();
    const [after] = await tx
      .update(errorLogs)
      .set(
        input.resolved
          ? {
              resolved: true,
              resolvedAt: before.resolved ? before.resolvedAt : now,
              resolvedBy: before.resolved ? before.resolvedBy : actorLabel(ctx.actor),
            }
          : { resolved: false, resolvedAt: null, resolvedBy: null },
      )
      .where(eq(errorLogs.id, id))
      .returning();
    if (!after) throw new NotFoundError(`Error ${id} not found`);
    await recordAudit(
      ctx,
      {
        eventType: input.resolved ? "error_resolved" : "error_reopened",
        description: `Error ${id} (${before.errorCode ?? before.category}) ${input.resolved ? "resolved" : "reopened"}`,
        oldValues: { resolved: before.resolved, resolved_at: before.resolvedAt?.toISOString() ?? null },
        newValues: { resolved: after.resolved, resolved_at: after.resolvedAt?.toISOString() ?? null },
        metadata: { error_log_id: id, note: input.note ?? null },
      },
      tx,
    );
    return presentErrorLog(after);
  });
}
