import type { Context } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import { findRelease, type ReleaseRow, releaseUsage } from "./release.repository.ts";

export async function getRelease(ctx: Context, releaseId: string): Promise<ReleaseRow> {
  const release = await findRelease(ctx.db, releaseId);
  if (!release) throw new NotFoundError(`Release ${releaseId} not found`);
  return release;
}

/** A release with who uses it (jobs delivering it, devices reporting its version). */
export async function getReleaseWithUsage(ctx: Context, releaseId: string) {
  const release = await getRelease(ctx, releaseId);
  return { release, usage: await releaseUsage(ctx.db, release) };
}
