import type { FrontendErrorInput } from "@homepot/contracts/analytics";
import { errorLogs } from "@homepot/db";
import type { Context } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { ErrorCodes } from "../errors-log/log-error.ts";
import { redactSecretString, redactSecrets, stripSecretParams } from "../redact.ts";
import { clampTimestamp } from "./present.ts";

/**
 * Stores errors the dashboard reports (category `frontend`), attributed to the signed-in user when
 * there is one; the category cannot be chosen by the client, so browser reports never pose as server errors.
 */
export async function recordFrontendErrors(ctx: Context, entries: FrontendErrorInput[]): Promise<number[]> {
  const now = ctx.clock.now();
  const userId = ctx.actor.kind === "user" ? String(ctx.actor.userId) : null;
  const rows = entries.map((e, i) => {
    const message = e.error_message ?? e.message;
    if (!message)
      throw new ValidationError(
        "error_message is required",
        entries.length > 1 ? `errors.${i}.error_message` : "error_message",
      );
    const stack = e.stack_trace ?? e.stack ?? null;
    const context: Record<string, unknown> = { ...(e.metadata ?? {}), ...(e.context ?? {}), source: "dashboard" };
    if (e.page_url) context.page_url = stripSecretParams(e.page_url);
    if (ctx.actor.kind === "user" && ctx.actor.userAgent) context.user_agent = ctx.actor.userAgent;
    return {
      timestamp: clampTimestamp(e.timestamp, now),
      category: "frontend",
      severity: e.severity,
      errorCode: (e.error_code ?? ErrorCodes.frontend).slice(0, 50),
      errorMessage: redactSecretString(message),
      stackTrace: stack ? redactSecretString(stack) : null,
      endpoint: stripSecretParams(e.endpoint ?? e.page_url ?? "").slice(0, 255) || null,
      userId,
      deviceId: e.device_id ?? null,
      context: redactSecrets(context),
    };
  });
  const inserted = await ctx.db.insert(errorLogs).values(rows).returning({ id: errorLogs.id });
  return inserted.map((r) => r.id);
}
