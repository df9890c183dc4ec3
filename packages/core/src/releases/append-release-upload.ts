import type { Readable } from "node:stream";
import type { Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { getOpenUpload, saveUploadOffset } from "./get-release-upload.ts";
import type { ReleaseStore } from "./release-store.ts";

// One writer per upload in this process; a second concurrent chunk would interleave bytes.
const writing = new Set<string>();

/**
 * Appends one chunk at `offset`, which must be the bytes received so far (409 names the right offset, so a
 * client that lost an answer resumes correctly). The chunk streams to disk; past the declared size → 413.
 */
export async function appendReleaseUpload(
  ctx: Context,
  store: ReleaseStore,
  uploadId: string,
  offset: number,
  body: Readable,
) {
  const { upload, offset: current } = await getOpenUpload(ctx, store, uploadId);
  if (offset !== current) {
    body.resume();
    throw new ConflictError(
      `Upload-Offset ${offset} does not match the ${current} bytes received; resume at ${current}`,
    );
  }
  if (writing.has(uploadId)) {
    body.resume();
    throw new ConflictError(`Upload ${uploadId} is receiving another chunk`);
  }
  writing.add(uploadId);
  try {
    const received = await store.append(uploadId, offset, body, upload.sizeBytes - offset);
    await saveUploadOffset(ctx, upload, received);
    return { upload: { ...upload, receivedBytes: received }, offset: received };
  } finally {
    writing.delete(uploadId);
  }
}
