import { describe, expect, it } from "vitest";
import { inTurns } from "./in-turns.ts";

describe("inTurns", () => {
  it("yields every item in order and lets other work run between turns", async () => {
    const seen: number[] = [];
    const others: number[] = [];
    const items = Array.from({ length: 10 }, (_, i) => i);
    for await (const item of inTurns(items, 4)) {
      // Work queued now runs only if the loop pauses before the next item.
      if (item % 4 === 0) setImmediate(() => others.push(item));
      seen.push(item);
    }
    expect(seen).toEqual(items);
    // Queued at 0 and 4: each ran at the pause after its turn (before 4 and before 8); the one at 8 had no pause.
    expect(others).toEqual([0, 4]);
  });

  it("handles an empty list", async () => {
    const seen: unknown[] = [];
    for await (const item of inTurns([])) seen.push(item);
    expect(seen).toEqual([]);
  });
});
