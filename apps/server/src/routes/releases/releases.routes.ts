import type { Readable } from "node:stream";
import { MessageResult } from "@homepot/contracts/common";
import {
  CreateUploadBody,
  ListReleasesQuery,
  ReleaseGetResponse,
  ReleaseKeyResponse,
  ReleaseListResponse,
  ReleaseParams,
  ReleaseWriteResponse,
  UploadGetResponse,
  UploadParams,
  UploadResponse,
  VersionDistributionQuery,
  VersionDistributionResponse,
} from "@homepot/contracts/releases";
import { ErrorCodes, logError, ValidationError } from "@homepot/core";
import { appendReleaseUpload } from "@homepot/core/releases/append-release-upload";
import { completeReleaseUpload } from "@homepot/core/releases/complete-release-upload";
import { createReleaseUpload } from "@homepot/core/releases/create-release-upload";
import { deleteRelease } from "@homepot/core/releases/delete-release";
import { deprecateRelease } from "@homepot/core/releases/deprecate-release";
import { getReleaseWithUsage } from "@homepot/core/releases/get-release";
import { getReleaseUpload } from "@homepot/core/releases/get-release-upload";
import { listReleases } from "@homepot/core/releases/list-releases";
import { openReleaseDownload, recordReleaseDownload } from "@homepot/core/releases/open-release-download";
import { presentRelease, presentReleaseKey, presentUpload } from "@homepot/core/releases/present";
import { versionDistribution } from "@homepot/core/releases/version-distribution";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestContext } from "../../plugins/context.ts";
import { sendRelease } from "./release-download.ts";
import { SiteThrottle } from "./site-throttle.ts";

const UploadOffsetHeaders = z.object({
  "upload-offset": z.coerce.number().int().min(0).describe("Bytes received so far (GET the upload to learn it)"),
});

/**
 * The release repository: resumable uploads (POST, then PATCH chunks with Upload-Offset, then complete),
 * list/show/deprecate/delete, the public release key, and the devices' ranged download.
 */
export const releaseRoutes: FastifyPluginAsyncZod = async (app) => {
  const releases = app.releaseStore;
  const throttle = new SiteThrottle(app.deps.config.releaseSiteBytesPerS);

  // Chunks stream to disk as they arrive: never parsed, never buffered, not bound by the JSON body limit.
  app.addContentTypeParser(["application/offset+octet-stream", "application/octet-stream"], (_req, payload, done) =>
    done(null, payload),
  );

  app.get("/public-key", { schema: { tags: ["releases"], response: { 200: ReleaseKeyResponse } } }, async () => ({
    success: true as const,
    data: presentReleaseKey(releases()),
  }));

  app.post(
    "/uploads",
    {
      onRequest: app.authorize("operator"),
      schema: { tags: ["releases"], body: CreateUploadBody, response: { 201: UploadResponse } },
    },
    async (request, reply) => {
      const upload = await createReleaseUpload(requestContext(request), releases(), request.body);
      return reply.code(201).send({
        success: true as const,
        message: `Upload ${upload.uploadId} started: send ${upload.sizeBytes} bytes`,
        data: presentUpload(upload),
      });
    },
  );

  app.get(
    "/uploads/:upload_id",
    {
      onRequest: app.authorize("operator"),
      schema: { tags: ["releases"], params: UploadParams, response: { 200: UploadGetResponse } },
    },
    async (request) => {
      const { upload, offset } = await getReleaseUpload(requestContext(request), releases(), request.params.upload_id);
      return { success: true as const, data: presentUpload(upload, offset) };
    },
  );

  app.patch(
    "/uploads/:upload_id",
    {
      onRequest: app.authorize("operator"),
      schema: {
        tags: ["releases"],
        description: "Appends the request body (application/offset+octet-stream) at Upload-Offset",
        params: UploadParams,
        headers: UploadOffsetHeaders,
        response: { 200: UploadResponse },
      },
    },
    async (request) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== "function")
        throw new ValidationError("Send the chunk as application/offset+octet-stream", "content-type");
      const { upload, offset } = await appendReleaseUpload(
        requestContext(request),
        releases(),
        request.params.upload_id,
        request.headers["upload-offset"],
        body,
      );
      return {
        success: true as const,
        message: `${offset} of ${upload.sizeBytes} bytes received`,
        data: presentUpload(upload, offset),
      };
    },
  );

  app.post(
    "/uploads/:upload_id/complete",
    {
      onRequest: app.authorize("operator"),
      schema: { tags: ["releases"], params: UploadParams, response: { 201: ReleaseWriteResponse } },
    },
    async (request, reply) => {
      const release = await completeReleaseUpload(requestContext(request), releases(), request.params.upload_id);
      return reply.code(201).send({
        success: true as const,
        message: `Release ${release.releaseId} created (${release.name} ${release.version})`,
        data: presentRelease(release),
      });
    },
  );

  app.get(
    "/",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags: ["releases"], querystring: ListReleasesQuery, response: { 200: ReleaseListResponse } },
    },
    async (request) => {
      const { release_type, device_type, ...rest } = request.query;
      const page = await listReleases(requestContext(request), {
        ...rest,
        releaseType: release_type,
        deviceType: device_type,
      });
      return {
        success: true as const,
        count: page.releases.length,
        total: page.total,
        releases: page.releases.map(presentRelease),
      };
    },
  );

  app.get(
    "/versions",
    {
      onRequest: app.authorize("viewer"),
      schema: {
        tags: ["releases"],
        description:
          "How many active devices run each software or firmware version, per release name, fleet-wide and per site",
        querystring: VersionDistributionQuery,
        response: { 200: VersionDistributionResponse },
      },
    },
    async (request) => ({
      success: true as const,
      data: await versionDistribution(requestContext(request), request.query.release_type, request.query.site_id),
    }),
  );

  app.get(
    "/:release_id",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags: ["releases"], params: ReleaseParams, response: { 200: ReleaseGetResponse } },
    },
    async (request) => {
      const { release, usage, users } = await getReleaseWithUsage(requestContext(request), request.params.release_id);
      return {
        success: true as const,
        data: {
          ...presentRelease(release),
          jobs: usage.jobs,
          installed_on: usage.installedOn,
          running_devices: users.running.map((d) => ({
            device_id: d.deviceId,
            name: d.name,
            site_id: d.siteId,
            status: d.status,
          })),
          delivering_jobs: users.delivering.map((j) => ({
            job_id: j.jobId,
            action: j.action,
            status: j.status,
            created_at: j.createdAt.toISOString(),
          })),
        },
      };
    },
  );

  app.post(
    "/:release_id/deprecate",
    {
      onRequest: app.authorize("operator"),
      schema: { tags: ["releases"], params: ReleaseParams, response: { 200: ReleaseWriteResponse } },
    },
    async (request) => {
      const release = await deprecateRelease(requestContext(request), request.params.release_id);
      return {
        success: true as const,
        message: `Release ${release.releaseId} deprecated`,
        data: presentRelease(release),
      };
    },
  );

  app.delete(
    "/:release_id",
    {
      onRequest: app.authorize("platform"),
      schema: { tags: ["releases"], params: ReleaseParams, response: { 200: MessageResult } },
    },
    async (request) => {
      await deleteRelease(requestContext(request), releases(), request.params.release_id);
      return { success: true as const, message: `Release ${request.params.release_id} deleted` };
    },
  );

  app.get(
    "/:release_id/download",
    {
      onRequest: app.authenticateDeviceOr("operator"),
      schema: {
        tags: ["releases"],
        description:
          "The artifact's bytes: a device (X-Device-ID + X-API-Key) gets only a compatible release its job delivers. Range requests (206), If-Range, and zstd/br/gzip for whole-file requests.",
        params: ReleaseParams,
      },
    },
    async (request, reply) => {
      const ctx = requestContext(request);
      const download = await openReleaseDownload(ctx, releases(), request.params.release_id);
      const device = request.device;
      return sendRelease(request, reply, download, {
        throttle: device ? { limiter: throttle, siteId: device.siteId } : undefined,
        onServed: (bytes, end) => {
          if (!device || request.method === "HEAD") return;
          recordReleaseDownload(ctx, {
            releaseId: download.release.releaseId,
            deviceId: device.deviceId,
            jobId: download.jobId,
            bytes,
            end,
          }).catch((error) =>
            logError(ctx, {
              category: "api",
              severity: "warning",
              errorCode: ErrorCodes.dbQuery,
              message: `could not record a download of ${download.release.releaseId}: ${(error as Error).message}`,
              error,
              deviceId: device.deviceId,
              endpoint: "/api/v1/releases/{release_id}/download",
            }),
          );
        },
      });
    },
  );
};
