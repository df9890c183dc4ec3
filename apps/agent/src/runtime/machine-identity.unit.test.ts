import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultDeviceId, machineIdentity } from "./machine-identity.ts";

describe("machine identity", () => {
  it("is a keyed hash of the machine-id (stable, never the raw value), else null", () => {
    const dir = mkdtempSync(join(tmpdir(), "mid-"));
    const file = join(dir, "machine-id");
    writeFileSync(file, "0123456789abcdef0123456789abcdef\n");
    const id = machineIdentity([join(dir, "missing"), file]);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(id).not.toContain("0123456789abcdef");
    expect(machineIdentity([file])).toBe(id);
    writeFileSync(file, "not-a-machine-id");
    expect(machineIdentity([file])).toBeNull();
    expect(defaultDeviceId(id)).toBe(`device-${id?.slice(0, 12)}`);
    expect(defaultDeviceId(null)).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
  });
});
