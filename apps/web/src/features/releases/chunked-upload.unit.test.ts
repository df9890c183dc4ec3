import { describe, expect, it } from "vitest";
import { type ChunkTransport, sendChunks, UploadStopped } from "./chunked-upload.ts";

/** A server that keeps the bytes it got; `failAt` makes those calls throw after storing `partial` bytes. */
function server(failAt: number[] = [], partial = 0) {
  let held = new Uint8Array(0);
  let calls = 0;
  const transport: ChunkTransport = {
    async send(_id, offset, chunk) {
      calls += 1;
      if (offset !== held.length) throw new Error(`409 resume at ${held.length}`);
      const bytes = new Uint8Array(await chunk.arrayBuffer());
      const keep = failAt.includes(calls) ? bytes.subarray(0, partial) : bytes;
      held = new Uint8Array([...held, ...keep]);
      if (failAt.includes(calls)) throw new Error("connection reset");
      return held.length;
    },
    async offsetOf() {
      return held.length;
    },
  };
  return { transport, held: () => held };
}

const file = new Blob([new Uint8Array(Array.from({ length: 10 }, (_, i) => i))]);
const TEN = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Sends `file` in 4-byte chunks from `offset`, recording each reported offset. */
function send(transport: ChunkTransport, offset = 0) {
  const seen: number[] = [];
  const done = sendChunks({ file, uploadId: "u", offset, transport, chunkBytes: 4, onProgress: (o) => seen.push(o) });
  return { seen, done };
}

describe("sendChunks", () => {
  it("sends the file chunk by chunk, reporting each offset", async () => {
    const s = server();
    const { seen, done } = send(s.transport);
    expect(await done).toBe(10);
    expect(seen).toEqual([4, 8, 10]);
    expect([...s.held()]).toEqual(TEN);
  });

  it("resumes at the server's offset after a broken chunk", async () => {
    const s = server([2], 1);
    const seen: number[] = [];
    await sendChunks({
      file,
      uploadId: "u",
      offset: 0,
      transport: s.transport,
      chunkBytes: 4,
      onProgress: (o) => seen.push(o),
    });
    expect(seen).toEqual([4, 5, 9, 10]);
    expect([...s.held()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("stops after too many errors in a row, saying where the server stands, and continues from there", async () => {
    const s = server([2, 3, 4], 0);
    const stopped = await send(s.transport).done.catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(UploadStopped);
    expect((stopped as UploadStopped).offset).toBe(4);
    expect((stopped as UploadStopped).message).toBe("connection reset");
    expect(await send(s.transport, (stopped as UploadStopped).offset).done).toBe(10);
    expect([...s.held()]).toEqual(TEN);
  });
});
