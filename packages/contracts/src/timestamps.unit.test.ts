import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL(".", import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.includes(".test."));

/** A field named like a point in time (created_at, timestamp, last_seen, a window's start) declared as a bare string. */
const BARE_TIME =
  /^\s*(\w+_at|timestamp|at|since|first_seen|last_seen|start|end|recommended_start|recommended_end): z\.string\(\)/;
/** Times of day, not points in time. */
const TIMES_OF_DAY = new Set(["notifications.ts:start", "notifications.ts:end"]);

describe("time fields in the contracts", () => {
  it("are Timestamp, so OpenAPI documents them as ISO 8601 UTC (CONTRIBUTING)", () => {
    const bare: string[] = [];
    for (const file of sources) {
      readFileSync(`${dir}/${file}`, "utf8")
        .split("\n")
        .forEach((line, i) => {
          for (const field of line.split(/[{,]/)) {
            const name = BARE_TIME.exec(field)?.[1];
            if (name && !TIMES_OF_DAY.has(`${file}:${name}`)) bare.push(`${file}:${i + 1} ${name}`);
          }
        });
    }
    expect(bare).toEqual([]);
  });

  it("finds a bare time field (the check can fail)", () => {
    expect(BARE_TIME.test("  created_at: z.string(),")).toBe(true);
    expect(BARE_TIME.test("  created_at: Timestamp,")).toBe(false);
  });
});
