import { describe, expect, it } from "vitest";
import { SlowResults, slowResultKey } from "./slow-results.ts";

const counter = () => {
  let n = 0;
  return { compute: async () => ++n, calls: () => n };
};

describe("SlowResults", () => {
  it("never reuses a result that was fast to compute", async () => {
    const results = new SlowResults(Number.POSITIVE_INFINITY, 60_000);
    const c = counter();
    expect(await results.get("k", c.compute)).toBe(1);
    expect(await results.get("k", c.compute)).toBe(2);
  });

  it("reuses a slow result for the same key only, until it is too old", async () => {
    const results = new SlowResults(0, 60_000);
    const c = counter();
    expect(await results.get("k", c.compute)).toBe(1);
    expect(await results.get("k", c.compute)).toBe(1);
    expect(await results.get("other", c.compute)).toBe(2);
    const expired = new SlowResults(0, -1);
    expect(await expired.get("k", c.compute)).toBe(3);
    expect(await expired.get("k", c.compute)).toBe(4);
  });

  it("shares one computation between callers who ask while it runs, and forgets a failure", async () => {
    const results = new SlowResults(Number.POSITIVE_INFINITY, 60_000);
    let release: (v: number) => void = () => {};
    let calls = 0;
    const compute = () => {
      calls += 1;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    };
    const first = results.get("k", compute);
    const second = results.get("k", compute);
    release(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    expect(calls).toBe(1);
    await expect(results.get("k", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await results.get("k", async () => 8)).toBe(8);
  });

  it("keys on what the caller may see: another membership is another key", () => {
    const user = (sites: [number, "viewer" | "admin"][]) => ({
      kind: "user" as const,
      userId: 1,
      username: "u",
      email: "u@example.com",
      role: "viewer" as const,
      access: { platform: false, tenants: new Map(), sites: new Map(sites) },
    });
    const q = { limit: 50 };
    expect(slowResultKey("/x", q, user([[1, "viewer"]]))).toBe(slowResultKey("/x", q, user([[1, "viewer"]])));
    expect(slowResultKey("/x", q, user([[1, "viewer"]]))).not.toBe(slowResultKey("/x", q, user([[2, "viewer"]])));
    expect(slowResultKey("/x", q, user([]))).not.toBe(slowResultKey("/x", { limit: 10 }, user([])));
  });
  it("runs at most maxRunning computations at once, the others in order as turns free up, failures included", async () => {
    const results = new SlowResults(Number.POSITIVE_INFINITY, 0, 1);
    const started: string[] = [];
    const finish = new Map<string, { ok: (v: string) => void; fail: (e: Error) => void }>();
    const compute = (key: string) => () => {
      started.push(key);
      return new Promise<string>((ok, fail) => finish.set(key, { ok, fail }));
    };
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    const a = results.get("a", compute("a"));
    const b = results.get("b", compute("b"));
    const c = results.get("c", compute("c"));
    await flush();
    expect(started).toEqual(["a"]);
    expect(results.queued).toBe(2);
    finish.get("a")?.fail(new Error("boom"));
    await expect(a).rejects.toThrow("boom");
    await flush();
    expect(started).toEqual(["a", "b"]);
    finish.get("b")?.ok("B");
    expect(await b).toBe("B");
    await flush();
    expect(started).toEqual(["a", "b", "c"]);
    expect(results.queued).toBe(0);
    finish.get("c")?.ok("C");
    expect(await c).toBe("C");
    // The turn is free again: a new computation starts at once.
    const d = results.get("d", compute("d"));
    await flush();
    expect(started.at(-1)).toBe("d");
    finish.get("d")?.ok("D");
    expect(await d).toBe("D");
  });
});
