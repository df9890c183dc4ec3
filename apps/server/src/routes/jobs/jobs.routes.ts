import { toInput } from "@homepot/contracts/input";
import {
  CreateJobBody,
  CreateSiteJobBody,
  JobDetailResponse,
  JobListResponse,
  JobParams,
  JobWriteResponse,
  ListJobsQuery,
  SiteJobParams,
} from "@homepot/contracts/jobs";
import { cancelJob } from "@homepot/core/jobs/cancel-job";
import { createJob } from "@homepot/core/jobs/create-job";
import { findJobWindow } from "@homepot/core/jobs/find-job-window";
import { getJob } from "@homepot/core/jobs/get-job";
import { listJobs } from "@homepot/core/jobs/list-jobs";
import { presentJob } from "@homepot/core/jobs/present";
import { ok, okList, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

const tags = ["jobs"];

/** The answer to a job created. */
const created = ({ job, siteKey }: Awaited<ReturnType<typeof createJob>>) =>
  okWrite(`Job ${job.jobId} created`, presentJob(job, siteKey));

/** `POST …/sites/{site_id}/jobs`: a job for one site, optionally one device of it (the original's two paths). */
const siteJobRoute = (url: string) =>
  route.post(
    url,
    { auth: "operator", params: SiteJobParams, body: CreateSiteJobBody, response: JobWriteResponse, status: 201 },
    async ({ ctx, params, body: { device_id, ...b } }) =>
      created(
        await createJob(ctx, {
          ...toInput(b),
          siteId: params.site_id,
          deviceIds: device_id ? [device_id] : undefined,
        }),
      ),
  );

/** The original moved the site job route under /sites in July 2026; both paths are served (registered at /api/v1/sites). */
export const siteJobRoutes = featureRoutes(tags, () => [siteJobRoute("/:site_id/jobs")]);

export const jobsRoutes = featureRoutes(tags, () => [
  route.post(
    "/",
    { auth: "operator", body: CreateJobBody, response: JobWriteResponse, status: 201 },
    async ({ ctx, body }) => created(await createJob(ctx, toInput(body), { findWindow: findJobWindow })),
  ),

  // The original API: a job for one site (optionally one device of it).
  siteJobRoute("/sites/:site_id/jobs"),

  route.get("/", { auth: "viewer", query: ListJobsQuery, response: JobListResponse }, async ({ ctx, query }) => {
    const { jobs, total } = await listJobs(ctx, toInput(query));
    return okList("jobs", jobs, { total });
  }),

  route.get("/:job_id", { auth: "viewer", params: JobParams, response: JobDetailResponse }, async ({ ctx, params }) =>
    ok(await getJob(ctx, params.job_id)),
  ),

  route.post(
    "/:job_id/cancel",
    { auth: "operator", params: JobParams, response: JobWriteResponse },
    async ({ ctx, params }) => {
      const job = await cancelJob(ctx, params.job_id);
      const { progress: _p, devices: _d, ...data } = await getJob(ctx, job.jobId);
      return okWrite(`Job ${job.jobId} cancelled`, data);
    },
  ),
]);
