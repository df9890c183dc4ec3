import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { rename, rm, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Config } from "../config.ts";
import { PayloadTooLargeError } from "../errors.ts";
import { loadReleaseKey, type ReleaseKey, readTrustedKeys } from "./release-key.ts";

export interface ReleaseStoreOptions {
  /** Folder of the repository: `blobs/<aa>/<sha256>` and `uploads/<upload_id>.part`. */
  dir: string;
  /** Largest single artifact, bytes (HOMEPOT_RELEASE_MAX_MB). */
  maxArtifactBytes: number;
  /** All stored artifacts plus open uploads, bytes (HOMEPOT_RELEASE_QUOTA_MB). */
  quotaBytes: number;
  key: ReleaseKey;
  /** Offline keys (canonical PEM) whose signatures are accepted too. */
  trustedKeys: string[];
}

/**
 * The release repository on disk: content-addressed blobs (one file per SHA-256, shared by releases with the same
 * bytes) and the partial files of resumable uploads. The database holds everything else.
 */
export class ReleaseStore {
  constructor(readonly options: ReleaseStoreOptions) {
    mkdirSync(join(options.dir, "blobs"), { recursive: true, mode: 0o700 });
    mkdirSync(join(options.dir, "uploads"), { recursive: true, mode: 0o700 });
  }

  blobPath(sha256: string): string {
    return join(this.options.dir, "blobs", sha256.slice(0, 2), sha256);
  }

  partPath(uploadId: string): string {
    return join(this.options.dir, "uploads", `${uploadId}.part`);
  }

  /** Bytes received so far (the partial file's size; 0 before the first chunk). */
  async receivedBytes(uploadId: string): Promise<number> {
    try {
      return (await stat(this.partPath(uploadId))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw error;
    }
  }

  /**
   * Appends `body` at `offset` (the current size) without buffering it. More than `maxBytes` → 413 and the file
   * is cut back to `offset`; a broken connection keeps what arrived (the client asks for the offset and resumes).
   */
  async append(uploadId: string, offset: number, body: Readable, maxBytes: number): Promise<number> {
    let written = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        written += chunk.length;
        if (written > maxBytes)
          done(new PayloadTooLargeError(`The chunk goes past the upload's declared size (${maxBytes} bytes left)`));
        else done(null, chunk);
      },
    });
    const out = createWriteStream(this.partPath(uploadId), {
      flags: offset === 0 ? "w" : "r+",
      start: offset,
      mode: 0o600,
    });
    try {
      await pipeline(body, limit, out);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) {
        await truncate(this.partPath(uploadId), offset);
        throw error;
      }
      // Aborted mid-chunk: what reached the disk stays; the next request resumes from there.
      if (
        !(
          error instanceof Error &&
          /aborted|premature|ECONNRESET/i.test(`${error.message} ${(error as NodeJS.ErrnoException).code}`)
        )
      )
        throw error;
    }
    return this.receivedBytes(uploadId);
  }

  /** SHA-256 (hex) of a finished upload's bytes. */
  async hashUpload(uploadId: string): Promise<string> {
    const hash = createHash("sha256");
    await pipeline(createReadStream(this.partPath(uploadId)), hash);
    return hash.digest("hex");
  }

  /** Moves a finished upload to its content address (a blob already there is kept and the upload dropped). */
  async commitUpload(uploadId: string, sha256: string): Promise<void> {
    const target = this.blobPath(sha256);
    mkdirSync(join(this.options.dir, "blobs", sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
    try {
      await stat(target);
      await rm(this.partPath(uploadId), { force: true });
    } catch {
      await rename(this.partPath(uploadId), target);
    }
  }

  async dropUpload(uploadId: string): Promise<void> {
    await rm(this.partPath(uploadId), { force: true });
  }

  async dropBlob(sha256: string): Promise<void> {
    await rm(this.blobPath(sha256), { force: true });
  }
}

/** The repository of a server's config: `<data dir>/releases`, its limits, its key (made on first use), trusted keys. */
export function openReleaseStore(config: Config): ReleaseStore {
  return new ReleaseStore({
    dir: join(config.dataDir, "releases"),
    maxArtifactBytes: config.releaseMaxBytes,
    quotaBytes: config.releaseQuotaBytes,
    key: loadReleaseKey(config.dataDir, config.releaseKeyFile),
    trustedKeys: readTrustedKeys(config.releaseTrustedKeysFile),
  });
}
