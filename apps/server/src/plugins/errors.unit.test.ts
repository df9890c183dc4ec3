import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { nulField } from "./errors.ts";

describe("nulField", () => {
  it("names the first field of parsed JSON holding a NUL", () => {
    expect(nulField({ a: "ok", b: [{ c: "x\u0000y" }] })).toBe("b.0.c");
    expect(nulField({ "k\u0000": 1 })).toBe("k\u0000");
    expect(nulField({ a: "ok" })).toBeUndefined();
  });

  it("walks a parsed query string, whose prototype is a null-prototype object (fast-querystring's)", () => {
    const query = Object.create(Object.create(null)) as Record<string, string>;
    query.site_id = "a\u0000";
    expect(nulField(query)).toBe("site_id");
  });

  it("does not walk a streamed body (an upload chunk is the raw request, a cyclic graph)", () => {
    const stream = new PassThrough() as PassThrough & { self?: unknown; note?: string };
    stream.self = stream;
    stream.note = "x\u0000";
    expect(nulField(stream)).toBeUndefined();
    expect(nulField(Buffer.from("a\u0000b"))).toBeUndefined();
  });
});
