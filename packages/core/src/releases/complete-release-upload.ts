import { randomBytes } from "node:crypto";
import { type CreateUploadBody, releaseManifest } from "@homepot/contracts/releases";
import { releases, releaseUploads } from "@homepot/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { ConflictError, ValidationError } from "../errors.ts";
import { insertOne } from "../rows.ts";
import { getOpenUpload } from "./get-release-upload.ts";
import type { ReleaseRow } from "./release.repository.ts";
import { canonicalPublicKey, signText, verifyText } from "./release-key.ts";
import type { ReleaseStore } from "./release-store.ts";

/**
 * Finishes an upload: every declared byte must be there (409 otherwise); the SHA-256 is computed (and must equal
 * the one declared, else the upload is dropped, 422); an offline signature must verify, else the server's key
 * signs; the bytes move to their content address and the release is created. Audited.
 */
export async function completeReleaseUpload(ctx: Context, store: ReleaseStore, uploadId: string): Promise<ReleaseRow> {
  const { upload, offset } = await getOpenUpload(ctx, store, uploadId);
  if (offset !== upload.sizeBytes)
    throw new ConflictError(`Upload ${uploadId} has ${offset} of ${upload.sizeBytes} bytes; send the rest first`);
  const meta = JSON.parse(upload.metadata) as CreateUploadBody;
  const now = ctx.clock.now();
  const abort = async () => {
    await store.dropUpload(uploadId);
    await ctx.db
      .update(releaseUploads)
      .set({ status: "aborted", updatedAt: now })
      .where(eq(releaseUploads.id, upload.id));
  };

  const sha256 = await store.hashUpload(uploadId);
  if (meta.sha256 && meta.sha256 !== sha256) {
    await abort();
    throw new ValidationError(
      `sha256: the uploaded bytes hash to ${sha256}, not ${meta.sha256}; upload again`,
      "sha256",
    );
  }
  const manifest = releaseManifest({ release_type: meta.release_type, name: meta.name, version: meta.version, sha256 });
  let signature: string;
  let signingKey: string;
  if (meta.signature && meta.public_key) {
    signingKey = canonicalPublicKey(meta.public_key) ?? "";
    if (!verifyText(signingKey, manifest, meta.signature)) {
      await abort();
      throw new ValidationError(
        "signature: does not verify for these bytes, name, version and type with public_key",
        "signature",
      );
    }
    signature = meta.signature;
  } else {
    signature = signText(store.options.key.privateKey, manifest);
    signingKey = store.options.key.publicKeyPem;
  }

  await store.commitUpload(uploadId, sha256);
  const releaseId = `rel-${randomBytes(4).toString("hex")}`;
  const compat = meta.compatibility ?? { device_types: [], os_families: [] };
  const release = await ctx.db.transaction(async (tx) => {
    const row = await insertOne(tx, releases, {
      releaseId,
      name: meta.name,
      version: meta.version,
      releaseType: meta.release_type,
      sha256,
      sizeBytes: upload.sizeBytes,
      filename: meta.filename ?? null,
      signature,
      signingKey,
      signedBy: meta.signature ? "offline" : "server",
      deviceTypes: compat.device_types,
      osFamilies: compat.os_families,
      minCurrentVersion: compat.min_current_version ?? null,
      notes: meta.notes ?? null,
      createdBy: upload.createdBy,
      createdAt: now,
      updatedAt: now,
    });
    await tx
      .update(releaseUploads)
      .set({ status: "completed", releaseId, receivedBytes: offset, updatedAt: now })
      .where(eq(releaseUploads.id, upload.id));
    await recordAudit(
      ctx,
      {
        eventType: "release_created",
        description: `Release ${releaseId} created: ${meta.release_type} ${meta.name} ${meta.version}`,
        newValues: {
          release_id: releaseId,
          name: meta.name,
          version: meta.version,
          release_type: meta.release_type,
          sha256,
          size_bytes: upload.sizeBytes,
          signed_by: row.signedBy,
          compatibility: compat,
        },
      },
      tx,
    );
    return row;
  });
  ctx.logger.info({ releaseId, sha256 }, "release created");
  return release;
}
