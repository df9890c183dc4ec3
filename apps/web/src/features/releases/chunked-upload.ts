/** Sends a file through the resumable upload API in chunks, resuming at the server's offset after an error. */

export const CHUNK_BYTES = 1024 * 1024;

export interface ChunkTransport {
  /** PATCH the chunk at `offset`; answers the server's offset after it. */
  send(uploadId: string, offset: number, chunk: Blob): Promise<number>;
  /** GET the upload: the bytes the server holds (where to resume). */
  offsetOf(uploadId: string): Promise<number>;
}

export interface ChunkedUpload {
  file: Blob;
  uploadId: string;
  /** Where to start (0, or the server's offset when resuming). */
  offset: number;
  transport: ChunkTransport;
  /** Called with the bytes the server holds after each chunk. */
  onProgress: (offset: number) => void;
  chunkBytes?: number;
  /** Errors in a row resumed without asking (after the server says where it stands); then the error is thrown. */
  retries?: number;
}

/** Thrown when the upload stopped: `offset` is what the server is known to hold. */
export class UploadStopped extends Error {
  constructor(
    readonly offset: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "UploadStopped";
  }
}

/** Sends the rest of `file` from `offset`; answers the final offset (the file's size). */
export async function sendChunks(u: ChunkedUpload): Promise<number> {
  const size = u.file.size;
  const step = u.chunkBytes ?? CHUNK_BYTES;
  const retries = u.retries ?? 2;
  let offset = u.offset;
  let failures = 0;
  while (offset < size) {
    try {
      offset = await u.transport.send(u.uploadId, offset, u.file.slice(offset, Math.min(size, offset + step)));
      failures = 0;
      u.onProgress(offset);
    } catch (error) {
      failures += 1;
      if (failures > retries) throw new UploadStopped(offset, error);
      // The chunk may have arrived in part (or whole): continue from what the server holds.
      try {
        offset = await u.transport.offsetOf(u.uploadId);
        u.onProgress(offset);
      } catch {
        throw new UploadStopped(offset, error);
      }
    }
  }
  return offset;
}
