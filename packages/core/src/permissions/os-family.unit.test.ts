import { describe, expect, it } from "vitest";
import { osFamilyOf } from "./os-family.ts";

describe("osFamilyOf", () => {
  it("takes a reported family, or reads it from the OS description", () => {
    expect(osFamilyOf("Linux", null)).toBe("linux");
    expect(osFamilyOf("darwin", null)).toBe("macos");
    expect(osFamilyOf(null, "Ubuntu 22.04.3 LTS")).toBe("linux");
    expect(osFamilyOf(null, "Microsoft Windows 11 Pro")).toBe("windows");
    expect(osFamilyOf(null, "Android 13")).toBe("android");
    expect(osFamilyOf(null, "macOS 14.2 Sonoma")).toBe("macos");
    expect(osFamilyOf(null, "iPadOS 17")).toBe("ios");
    expect(osFamilyOf(null, "Haiku R1")).toBe("other");
    expect(osFamilyOf(null, null)).toBeNull();
  });
});
