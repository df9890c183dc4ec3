import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { privateTree } from "./client.ts";

describe("privateTree", () => {
  it("makes an existing, world-readable database folder the owner's alone", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "homepot-private-")), "pglite");
    mkdirSync(join(dir, "base", "1"), { recursive: true });
    writeFileSync(join(dir, "PG_VERSION"), "17");
    writeFileSync(join(dir, "base", "1", "112"), "page");
    for (const d of [dir, join(dir, "base"), join(dir, "base", "1")]) chmodSync(d, 0o755);
    for (const f of [join(dir, "PG_VERSION"), join(dir, "base", "1", "112")]) chmodSync(f, 0o666);
    privateTree(dir);
    const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
    expect([dir, join(dir, "base"), join(dir, "base", "1")].map(mode)).toEqual(["700", "700", "700"]);
    expect([join(dir, "PG_VERSION"), join(dir, "base", "1", "112")].map(mode)).toEqual(["600", "600"]);
  });
});
