import { createReadStream } from "node:fs";
import { pipeline, type Readable, Transform } from "node:stream";
import zlib from "node:zlib";
import { RangeNotSatisfiableError } from "@homepot/core";
import type { ReleaseDownload } from "@homepot/core/releases/open-release-download";
import type { FastifyReply, FastifyRequest } from "fastify";
import { parseByteRange } from "./byte-range.ts";
import type { SiteThrottle } from "./site-throttle.ts";

/** zstd when this Node has it (22.15+), else Brotli or gzip: a full download may be compressed, a range never is. */
const zstd = (zlib as unknown as { createZstdCompress?: () => Transform }).createZstdCompress;
export const downloadEncodings = [...(zstd ? ["zstd"] : []), "br", "gzip"] as const;

function pickEncoding(accept: string | undefined): string | undefined {
  if (!accept) return undefined;
  const offered = accept
    .toLowerCase()
    .split(",")
    .map((p) => p.trim().split(";"))
    .filter(([, q]) => !q || !/^\s*q\s*=\s*0(\.0*)?\s*$/.test(q))
    .map(([name]) => name);
  return downloadEncodings.find((e) => offered.includes(e));
}

function encoder(encoding: string): Transform {
  if (encoding === "zstd" && zstd) return zstd();
  if (encoding === "br") return zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
  return zlib.createGzip({ level: 6 });
}

/**
 * Sends a release's bytes: the whole file (200, compressed when asked), or one range (206) so a device resumes
 * after a broken connection; `If-Range` with a stale ETag gets the whole file. `onServed(bytes, end)` runs when
 * the response ends, however it ends.
 */
export function sendRelease(
  request: FastifyRequest,
  reply: FastifyReply,
  download: ReleaseDownload,
  options: { throttle?: { limiter: SiteThrottle; siteId: string }; onServed(bytes: number, end: number): void },
) {
  const { release, path } = download;
  const size = release.sizeBytes;
  const etag = `"${release.sha256}"`;
  const ifRange = request.headers["if-range"];
  const asked = ifRange && ifRange !== etag ? undefined : parseByteRange(request.headers.range, size);
  if (asked === "unsatisfiable")
    throw new RangeNotSatisfiableError(`Range ${request.headers.range} is outside the ${size} bytes`, size);
  const encoding = asked ? undefined : pickEncoding(request.headers["accept-encoding"]);
  const range = asked ?? { start: 0, end: size - 1 };

  let served = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      served += chunk.length;
      done(null, chunk);
    },
  });
  const stages: Transform[] = [counter];
  if (options.throttle?.limiter.enabled) stages.push(options.throttle.limiter.stream(options.throttle.siteId));
  if (encoding) stages.push(encoder(encoding));
  reply.raw.once("close", () => options.onServed(served, range.start + served));
  const source = createReadStream(path, { start: range.start, end: range.end });
  // pipeline: a client that goes away closes the file too.
  const body = pipeline([source, ...stages], () => {}) as unknown as Readable;

  reply
    .header("accept-ranges", "bytes")
    .header("etag", etag)
    .header("content-type", "application/octet-stream")
    .header("x-release-sha256", release.sha256)
    .header("vary", "accept-encoding")
    .header(
      "content-disposition",
      `attachment; filename="${(release.filename ?? `${release.name}-${release.version}`).replace(/[^\w.+-]/g, "_")}"`,
    );
  if (encoding) reply.header("content-encoding", encoding);
  else reply.header("content-length", String(range.end - range.start + 1));
  if (asked) reply.code(206).header("content-range", `bytes ${range.start}-${range.end}/${size}`);
  return reply.send(body);
}
