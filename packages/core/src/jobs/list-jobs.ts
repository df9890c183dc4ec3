import { jobs, sites } from "@homepot/db";
import { and, eq, gte, lte, type SQL } from "drizzle-orm";
import type { Context } from "../context.ts";
import { pageNewestFirst } from "../rows.ts";
import { inScope } from "../tenants/authorize.ts";
import { siteKeysById } from "./job.repository.ts";
import { type PresentedJob, presentJob } from "./present.ts";

export interface ListJobsFilter {
  status?: string | undefined;
  siteId?: string | undefined;
  jobType?: string | undefined;
  priority?: string | undefined;
  segment?: string | undefined;
  startDate?: Date | undefined;
  endDate?: Date | undefined;
  limit: number;
  offset: number;
}

/** Jobs newest first, filtered; also the total matching count. */
export async function listJobs(ctx: Context, f: ListJobsFilter): Promise<{ jobs: PresentedJob[]; total: number }> {
  const where: SQL[] = [];
  if (f.status) where.push(eq(jobs.status, f.status));
  if (f.jobType) where.push(eq(jobs.jobType, f.jobType));
  if (f.priority) where.push(eq(jobs.priority, f.priority));
  if (f.segment) where.push(eq(jobs.segment, f.segment));
  if (f.startDate) where.push(gte(jobs.createdAt, f.startDate));
  if (f.endDate) where.push(lte(jobs.createdAt, f.endDate));
  if (f.siteId) {
    const [site] = await ctx.db.select({ id: sites.id }).from(sites).where(eq(sites.siteId, f.siteId)).limit(1);
    if (!site) return { jobs: [], total: 0 };
    where.push(eq(jobs.siteId, site.id));
  }
  const visible = inScope(ctx, { job: { siteKey: jobs.siteId, deviceIds: jobs.deviceIds } });
  if (visible) where.push(visible);
  const cond = where.length ? and(...where) : undefined;
  const { rows, total } = await pageNewestFirst(ctx.db, jobs, jobs.createdAt, cond, f);
  const keys = await siteKeysById(
    ctx.db,
    rows.map((r) => r.siteId),
  );
  return {
    jobs: rows.map((r) => presentJob(r, r.siteId === null ? null : (keys.get(r.siteId) ?? null))),
    total,
  };
}
