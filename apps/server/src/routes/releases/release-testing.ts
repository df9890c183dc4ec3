import { createHash } from "node:crypto";
import { jobDevices, jobs } from "@homepot/db";
import { expect } from "vitest";
import type { TestApp } from "../../testing.ts";

let seq = 0;

/** Uploads `bytes` as a new release through the API (one chunk) and returns the release's JSON (test factory). */
export async function uploadRelease(
  t: TestApp,
  headers: Record<string, string>,
  bytes: Buffer,
  meta: Record<string, unknown> = {},
) {
  seq += 1;
  const start = await t.app.inject({
    method: "POST",
    url: "/api/v1/releases/uploads",
    headers,
    payload: {
      name: `pos-app-${process.pid}-${seq}`,
      version: "4.2.0",
      release_type: "software",
      size_bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      ...meta,
    },
  });
  expect(start.statusCode, start.body).toBe(201);
  const uploadId = start.json().data.upload_id as string;
  const chunk = await sendChunk(t, headers, uploadId, 0, bytes);
  expect(chunk.statusCode, chunk.body).toBe(200);
  const done = await t.app.inject({ method: "POST", url: `/api/v1/releases/uploads/${uploadId}/complete`, headers });
  expect(done.statusCode, done.body).toBe(201);
  return done.json().data;
}

export const sendChunk = (
  t: TestApp,
  headers: Record<string, string>,
  uploadId: string,
  offset: number,
  body: Buffer,
) =>
  t.app.inject({
    method: "PATCH",
    url: `/api/v1/releases/uploads/${uploadId}`,
    headers: { ...headers, "content-type": "application/offset+octet-stream", "upload-offset": String(offset) },
    payload: body,
  });

/** An enrolment answer's `release_key` is the server's release key, as GET /releases/public-key gives it. */
export async function expectServerReleaseKey(t: TestApp, releaseKey: unknown) {
  const res = await t.app.inject({ method: "GET", url: "/api/v1/releases/public-key" });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().data.public_key).toMatch(/-----BEGIN PUBLIC KEY-----/);
  expect(releaseKey).toEqual(res.json().data);
}

/** A job (already sending) that delivers `releaseId` to `deviceId`, as the orchestrator would leave it. */
export async function assignRelease(t: TestApp, releaseId: string, deviceId: string) {
  seq += 1;
  const jobId = `job-${(0x10000000 + seq * 7919 + process.pid).toString(16).slice(-8)}`;
  await t.database.db.insert(jobs).values({
    jobId,
    action: "Install release",
    jobType: "software_update",
    status: "sent",
    releaseId,
    deviceIds: [deviceId],
  });
  await t.database.db.insert(jobDevices).values({ jobId, deviceId, status: "sent" });
  return jobId;
}
