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
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

type FastifyZod = Parameters<FastifyPluginAsyncZod>[0];

import { requestContext } from "../../plugins/context.ts";

/** `POST …/sites/{site_id}/jobs`: a job for one site, optionally one device of it (the original's two paths). */
function registerSiteJobRoute(app: FastifyZod, path: string): void {
  app.post(
    path,
    {
      onRequest: app.authorize("operator"),
      schema: { tags: ["jobs"], params: SiteJobParams, body: CreateSiteJobBody, response: { 201: JobWriteResponse } },
    },
    async (request, reply) => {
      const { device_id, ...b } = request.body;
      const { job, siteKey } = await createJob(requestContext(request), {
        ...toInput(b),
        siteId: request.params.site_id,
        deviceIds: device_id ? [device_id] : undefined,
      });
      return reply
        .code(201)
        .send({ success: true as const, message: `Job ${job.jobId} created`, data: presentJob(job, siteKey) });
    },
  );
}

/** The original moved the site job route under /sites in July 2026; both paths are served (registered at /api/v1/sites). */
export const siteJobRoutes: FastifyPluginAsyncZod = async (app) => {
  registerSiteJobRoute(app, "/:site_id/jobs");
};

export const jobsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ["jobs"];

  app.post(
    "/",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, body: CreateJobBody, response: { 201: JobWriteResponse } },
    },
    async (request, reply) => {
      const ctx = requestContext(request);
      const { job, siteKey } = await createJob(ctx, toInput(request.body), { findWindow: findJobWindow });
      return reply
        .code(201)
        .send({ success: true as const, message: `Job ${job.jobId} created`, data: presentJob(job, siteKey) });
    },
  );

  // The original API: a job for one site (optionally one device of it).
  registerSiteJobRoute(app, "/sites/:site_id/jobs");

  app.get(
    "/",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags, querystring: ListJobsQuery, response: { 200: JobListResponse } },
    },
    async (request) => {
      const { jobs, total } = await listJobs(requestContext(request), toInput(request.query));
      return { success: true as const, count: jobs.length, total, jobs };
    },
  );

  app.get(
    "/:job_id",
    { onRequest: app.authorize("viewer"), schema: { tags, params: JobParams, response: { 200: JobDetailResponse } } },
    async (request) => ({ success: true as const, data: await getJob(requestContext(request), request.params.job_id) }),
  );

  app.post(
    "/:job_id/cancel",
    { onRequest: app.authorize("operator"), schema: { tags, params: JobParams, response: { 200: JobWriteResponse } } },
    async (request) => {
      const ctx = requestContext(request);
      const job = await cancelJob(ctx, request.params.job_id);
      const detail = await getJob(ctx, job.jobId);
      const { progress: _p, devices: _d, ...data } = detail;
      return { success: true as const, message: `Job ${job.jobId} cancelled`, data };
    },
  );
};
