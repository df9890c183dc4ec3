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
import { z } from "zod";
import { ok, okList, okMessage, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";
import { sendRelease } from "./release-download.ts";
import { SiteThrottle } from "./site-throttle.ts";

const UploadOffsetHeaders = z.object({
  "upload-offset": z.coerce.number().int().min(0).describe("Bytes received so far (GET the upload to learn it)"),
});

/**
 * The release repository: resumable uploads (POST, then PATCH chunks with Upload-Offset, then complete),
 * list/show/deprecate/delete, the public release key, and the devices' ranged download.
 */
export const releaseRoutes = featureRoutes(["releases"], (app) => {
  const releases = app.releaseStore;
  const throttle = new SiteThrottle(app.deps.config.releaseSiteBytesPerS);

  // Chunks stream to disk as they arrive: never parsed, never buffered, not bound by the JSON body limit.
  app.addContentTypeParser(["application/offset+octet-stream", "application/octet-stream"], (_req, payload, done) =>
    done(null, payload),
  );

  return [
    route.get("/public-key", { auth: "public", response: ReleaseKeyResponse }, async () =>
      ok(presentReleaseKey(releases())),
    ),

    route.post(
      "/uploads",
      { auth: "operator", body: CreateUploadBody, response: UploadResponse, status: 201 },
      async ({ ctx, body }) => {
        const upload = await createReleaseUpload(ctx, releases(), body);
        return okWrite(`Upload ${upload.uploadId} started: send ${upload.sizeBytes} bytes`, presentUpload(upload));
      },
    ),

    route.get(
      "/uploads/:upload_id",
      { auth: "operator", params: UploadParams, response: UploadGetResponse },
      async ({ ctx, params }) => {
        const { upload, offset } = await getReleaseUpload(ctx, releases(), params.upload_id);
        return ok(presentUpload(upload, offset));
      },
    ),

    route.patch(
      "/uploads/:upload_id",
      {
        auth: "operator",
        description: "Appends the request body (application/offset+octet-stream) at Upload-Offset",
        params: UploadParams,
        headers: UploadOffsetHeaders,
        response: UploadResponse,
      },
      async ({ ctx, params, headers, request }) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== "function")
          throw new ValidationError("Send the chunk as application/offset+octet-stream", "content-type");
        const { upload, offset } = await appendReleaseUpload(
          ctx,
          releases(),
          params.upload_id,
          headers["upload-offset"],
          body,
        );
        return okWrite(`${offset} of ${upload.sizeBytes} bytes received`, presentUpload(upload, offset));
      },
    ),

    route.post(
      "/uploads/:upload_id/complete",
      { auth: "operator", params: UploadParams, response: ReleaseWriteResponse, status: 201 },
      async ({ ctx, params }) => {
        const release = await completeReleaseUpload(ctx, releases(), params.upload_id);
        return okWrite(
          `Release ${release.releaseId} created (${release.name} ${release.version})`,
          presentRelease(release),
        );
      },
    ),

    route.get(
      "/",
      { auth: "viewer", query: ListReleasesQuery, response: ReleaseListResponse },
      async ({ ctx, query }) => {
        const { release_type, device_type, ...rest } = query;
        const page = await listReleases(ctx, { ...rest, releaseType: release_type, deviceType: device_type });
        return okList("releases", page.releases.map(presentRelease), { total: page.total });
      },
    ),

    route.get(
      "/versions",
      {
        auth: "viewer",
        description:
          "How many active devices run each software or firmware version, per release name, fleet-wide and per site",
        query: VersionDistributionQuery,
        response: VersionDistributionResponse,
      },
      async ({ ctx, query }) => ok(await versionDistribution(ctx, query.release_type, query.site_id)),
    ),

    route.get(
      "/:release_id",
      { auth: "viewer", params: ReleaseParams, response: ReleaseGetResponse },
      async ({ ctx, params }) => {
        const { release, usage, users } = await getReleaseWithUsage(ctx, params.release_id);
        return ok({
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
        });
      },
    ),

    route.post(
      "/:release_id/deprecate",
      { auth: "operator", params: ReleaseParams, response: ReleaseWriteResponse },
      async ({ ctx, params }) => {
        const release = await deprecateRelease(ctx, params.release_id);
        return okWrite(`Release ${release.releaseId} deprecated`, presentRelease(release));
      },
    ),

    route.delete(
      "/:release_id",
      { auth: "platform", params: ReleaseParams, response: MessageResult },
      async ({ ctx, params }) => {
        await deleteRelease(ctx, releases(), params.release_id);
        return okMessage(`Release ${params.release_id} deleted`);
      },
    ),

    // The artifact's bytes, not JSON: sendRelease answers (ranges, conditional requests, compression) itself.
    route.get(
      "/:release_id/download",
      {
        auth: { deviceOr: "operator" },
        description:
          "The artifact's bytes: a device (X-Device-ID + X-API-Key) gets only a compatible release its job delivers. Range requests (206), If-Range, and zstd/br/gzip for whole-file requests.",
        params: ReleaseParams,
        response: null,
      },
      async ({ ctx, params, request, reply }) => {
        const download = await openReleaseDownload(ctx, releases(), params.release_id);
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
    ),
  ];
});
