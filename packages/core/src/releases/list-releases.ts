import { releases } from "@homepot/db";
import { and, arrayContains, eq, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { pageNewestFirst } from "../rows.ts";
import type { ReleaseRow } from "./release.repository.ts";

export interface ListReleasesFilter {
  releaseType?: string | undefined;
  name?: string | undefined;
  status?: string | undefined;
  /** Releases this device type may run (listed, or no device types given). */
  deviceType?: string | undefined;
  limit: number;
  offset: number;
}

/** Releases newest first, filtered, with the total matching count. */
export async function listReleases(
  ctx: Context,
  f: ListReleasesFilter,
): Promise<{ releases: ReleaseRow[]; total: number }> {
  const where: SQL[] = [];
  if (f.releaseType) where.push(eq(releases.releaseType, f.releaseType as "software" | "firmware"));
  if (f.name) where.push(eq(releases.name, f.name));
  if (f.status) where.push(eq(releases.status, f.status as "active" | "deprecated"));
  if (f.deviceType)
    where.push(
      or(sql`cardinality(${releases.deviceTypes}) = 0`, arrayContains(releases.deviceTypes, [f.deviceType])) as SQL,
    );
  const cond = where.length ? and(...where) : undefined;
  const { rows, total } = await pageNewestFirst(ctx.db, releases, releases.createdAt, cond, f);
  return { releases: rows, total };
}
