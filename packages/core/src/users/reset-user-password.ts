import { randomBytes } from "node:crypto";
import { users } from "@homepot/db";
import { eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { getUser } from "./get-user.ts";
import { hashPassword, validatePassword } from "./password.ts";

/**
 * An admin sets a user's password, or lets the server generate one (returned once, to hand over). Every session
 * of that user ends.
 */
export async function resetUserPassword(
  ctx: Context,
  id: number,
  password?: string,
): Promise<{ generatedPassword: string | undefined }> {
  const user = await getUser(ctx, id);
  const generatedPassword = password === undefined ? randomBytes(12).toString("base64url") : undefined;
  const next = password ?? (generatedPassword as string);
  validatePassword(next, { email: user.email, username: user.username });
  const hashedPassword = await hashPassword(next);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ hashedPassword, tokenVersion: sql`${users.tokenVersion} + 1`, updatedAt: ctx.clock.now() })
      .where(eq(users.id, id));
    await recordAudit(
      ctx,
      {
        eventType: "password_reset",
        description: `Password of ${user.username} reset${generatedPassword ? " (generated)" : ""}; sessions ended`,
        metadata: { target_user_id: id },
      },
      tx,
    );
  });
  return { generatedPassword };
}
