import { releaseUploads } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { findUpload, type UploadRow } from "./release.repository.ts";
import type { ReleaseStore } from "./release-store.ts";

/** An upload and its offset (the bytes on disk: the truth after a broken connection). */
export async function getReleaseUpload(ctx: Context, store: ReleaseStore, uploadId: string) {
  const upload = await findUpload(ctx.db, uploadId);
  if (!upload) throw new NotFoundError(`Upload ${uploadId} not found`);
  const offset = upload.status === "open" ? await store.receivedBytes(uploadId) : upload.receivedBytes;
  return { upload, offset };
}

/** An upload that can still take bytes: open and not expired (409 otherwise). */
export async function getOpenUpload(ctx: Context, store: ReleaseStore, uploadId: string) {
  const found = await getReleaseUpload(ctx, store, uploadId);
  if (found.upload.status !== "open") throw new ConflictError(`Upload ${uploadId} is ${found.upload.status}`);
  if (found.upload.expiresAt <= ctx.clock.now()) throw new ConflictError(`Upload ${uploadId} has expired; start again`);
  return found;
}

export async function saveUploadOffset(ctx: Context, upload: UploadRow, offset: number) {
  await ctx.db
    .update(releaseUploads)
    .set({ receivedBytes: offset, updatedAt: ctx.clock.now() })
    .where(eq(releaseUploads.id, upload.id));
}
