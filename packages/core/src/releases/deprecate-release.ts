import { releases } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { getRelease } from "./get-release.ts";
import type { ReleaseRow } from "./release.repository.ts";

/** Marks a release deprecated: no new job may deliver it (running jobs finish). Audited. */
export async function deprecateRelease(ctx: Context, releaseId: string): Promise<ReleaseRow> {
  const release = await getRelease(ctx, releaseId);
  if (release.status === "deprecated") throw new ConflictError(`Release ${releaseId} is deprecated already`);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(releases)
      .set({ status: "deprecated", deprecatedAt: now, updatedAt: now })
      .where(eq(releases.id, release.id))
      .returning();
    if (!row) throw new Error("update returned no release");
    await recordAudit(
      ctx,
      {
        eventType: "release_deprecated",
        description: `Release ${releaseId} deprecated: ${release.releaseType} ${release.name} ${release.version}`,
        oldValues: { status: release.status },
        newValues: { status: "deprecated" },
      },
      tx,
    );
    return row;
  });
}
