import { releases } from "@homepot/db";
import { count, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { getRelease } from "./get-release.ts";
import { releaseUsage } from "./release.repository.ts";
import type { ReleaseStore } from "./release-store.ts";

/**
 * Deletes a release no job delivers and no active device runs (409 names what still uses it); its bytes go
 * when no other release shares them. Audited.
 */
export async function deleteRelease(ctx: Context, store: ReleaseStore, releaseId: string): Promise<void> {
  const release = await getRelease(ctx, releaseId);
  const usage = await releaseUsage(ctx.db, release);
  if (usage.jobs || usage.installedOn) {
    const uses = [
      usage.jobs ? `${usage.jobs} job(s) deliver it` : null,
      usage.installedOn ? `${usage.installedOn} device(s) run ${release.version}` : null,
    ].filter(Boolean);
    throw new ConflictError(`Release ${releaseId} is in use: ${uses.join("; ")}; deprecate it instead`);
  }
  const shared = await ctx.db.transaction(async (tx) => {
    await tx.delete(releases).where(eq(releases.id, release.id));
    await recordAudit(
      ctx,
      {
        eventType: "release_deleted",
        description: `Release ${releaseId} deleted: ${release.releaseType} ${release.name} ${release.version}`,
        oldValues: { release_id: releaseId, name: release.name, version: release.version, sha256: release.sha256 },
      },
      tx,
    );
    const [n] = await tx.select({ n: count() }).from(releases).where(eq(releases.sha256, release.sha256));
    return Number(n?.n ?? 0);
  });
  if (shared === 0) await store.dropBlob(release.sha256);
}
