import { randomBytes } from "node:crypto";
import type { CreateUploadBody } from "@homepot/contracts/releases";
import { releases, releaseUploads } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, PayloadTooLargeError, ValidationError } from "../errors.ts";
import { insertOne } from "../rows.ts";
import { committedBytes, type UploadRow } from "./release.repository.ts";
import { canonicalPublicKey } from "./release-key.ts";
import type { ReleaseStore } from "./release-store.ts";

/** How long an unfinished upload keeps its place (and its share of the quota). */
export const UPLOAD_TTL_MS = 24 * 3600 * 1000;
const mb = (bytes: number) => `${Math.ceil(bytes / (1024 * 1024))} MB`;

/**
 * Opens a resumable upload for a new release. Refused up front: a size over the artifact limit or the
 * repository quota (413), a name+version+type that exists (409), an offline signature by an untrusted key.
 */
export async function createReleaseUpload(
  ctx: Context,
  store: ReleaseStore,
  input: CreateUploadBody,
): Promise<UploadRow> {
  const { maxArtifactBytes, quotaBytes, trustedKeys } = store.options;
  if (input.size_bytes > maxArtifactBytes)
    throw new PayloadTooLargeError(
      `size_bytes: ${mb(input.size_bytes)} is over the ${mb(maxArtifactBytes)} limit of one artifact (HOMEPOT_RELEASE_MAX_MB)`,
    );
  const now = ctx.clock.now();
  const used = await committedBytes(ctx.db, now);
  if (used + input.size_bytes > quotaBytes)
    throw new PayloadTooLargeError(
      `size_bytes: the release repository would hold ${mb(used + input.size_bytes)}, over its ${mb(quotaBytes)} quota (HOMEPOT_RELEASE_QUOTA_MB); delete unused releases first`,
    );
  if ((input.signature === undefined) !== (input.public_key === undefined))
    throw new ValidationError("signature and public_key go together", input.signature ? "public_key" : "signature");
  if (input.public_key) {
    const key = canonicalPublicKey(input.public_key);
    if (!key) throw new ValidationError("public_key: not an Ed25519 public key (PEM)", "public_key");
    if (!trustedKeys.includes(key))
      throw new ValidationError(
        "public_key: not one of the server's trusted release keys (HOMEPOT_RELEASE_TRUSTED_KEYS)",
        "public_key",
      );
  }
  const [existing] = await ctx.db
    .select({ id: releases.releaseId })
    .from(releases)
    .where(
      and(
        eq(releases.releaseType, input.release_type),
        eq(releases.name, input.name),
        eq(releases.version, input.version),
      ),
    )
    .limit(1);
  if (existing)
    throw new ConflictError(`${input.release_type} ${input.name} ${input.version} exists already (${existing.id})`);

  const uploadId = `up-${randomBytes(12).toString("hex")}`;
  const row = await insertOne(ctx.db, releaseUploads, {
    uploadId,
    sizeBytes: input.size_bytes,
    metadata: JSON.stringify(input),
    createdBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + UPLOAD_TTL_MS),
  });
  await recordAudit(ctx, {
    eventType: "release_upload_started",
    description: `Upload ${uploadId} started: ${input.release_type} ${input.name} ${input.version} (${input.size_bytes} bytes)`,
    newValues: { upload_id: uploadId, name: input.name, version: input.version, size_bytes: input.size_bytes },
  });
  return row;
}
