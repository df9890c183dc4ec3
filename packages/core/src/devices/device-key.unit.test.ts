import { describe, expect, it } from "vitest";
import { redactSecretString } from "../redact.ts";
import { DEVICE_KEY_LENGTH, generateDeviceKey, hashDeviceKey, isWellFormedDeviceKey } from "./device-key.ts";

describe("device keys", () => {
  it("are prefixed, checksummed, unique and hashed with SHA-256", () => {
    const a = generateDeviceKey();
    const b = generateDeviceKey();
    expect(a.key).toMatch(/^hpk_[0-9A-Za-z]+$/);
    expect(a.key).toHaveLength(DEVICE_KEY_LENGTH);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).toBe(hashDeviceKey(a.key));
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(a.prefix.length).toBeLessThanOrEqual(24);
    expect(isWellFormedDeviceKey(a.key)).toBe(true);
  });

  it("rejects keys with a wrong checksum, prefix or length", () => {
    const { key } = generateDeviceKey();
    const flipped = key.slice(0, 10) + (key[10] === "a" ? "b" : "a") + key.slice(11);
    expect(isWellFormedDeviceKey(flipped)).toBe(false);
    expect(isWellFormedDeviceKey(`xpk_${key.slice(4)}`)).toBe(false);
    expect(isWellFormedDeviceKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedDeviceKey("")).toBe(false);
  });

  it("are removed from free text by the redactor", () => {
    const { key } = generateDeviceKey();
    expect(redactSecretString(`oops ${key} leaked`)).not.toContain(key);
  });
});
