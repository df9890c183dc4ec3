import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { findRelease, type ReleaseRow, releaseUsage, releaseUsers } from "./release.repository.ts";

export async function getRelease(ctx: Context, releaseId: string): Promise<ReleaseRow> {
  const release = await findRelease(ctx.db, releaseId);
  if (!release) throw new NotFoundError(`Release ${releaseId} not found`);
  return release;
}

/** A release with who uses it: counts, and the first 100 devices reporting its version and jobs delivering it. */
export async function getReleaseWithUsage(ctx: Context, releaseId: string) {
  const release = await getRelease(ctx, releaseId);
  return { release, usage: await releaseUsage(ctx.db, release), users: await releaseUsers(ctx.db, release, 100) };
}
