import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import type { AppError } from "../errors.ts";

/** A refused unauthenticated enrolment attempt: thrown inside the transaction, audited after its rollback. */
export class EnrolmentRefused extends Error {
  constructor(
    readonly error: AppError,
    readonly reason: string,
    readonly metadata: Record<string, unknown> = {},
  ) {
    super(error.message);
  }
}

/**
 * Runs an enrolment step; a refusal is audited (outside the rolled-back transaction, so it stays) under
 * `eventType`, `onRefused` may record more (a failure counter), and the refusal's HTTP error is thrown.
 */
export async function auditingRefusals<T>(
  ctx: Context,
  eventType: string,
  subject: string,
  run: () => Promise<T>,
  onRefused?: (refusal: EnrolmentRefused) => Promise<void>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof EnrolmentRefused)) throw err;
    await recordAudit(ctx, {
      eventType,
      description: `${subject} refused: ${err.reason}`,
      metadata: { reason: err.reason, ...err.metadata },
    });
    await onRefused?.(err);
    throw err.error;
  }
}
