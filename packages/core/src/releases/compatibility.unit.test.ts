import { describe, expect, it } from "vitest";
import { compareVersions, skipReason } from "./compatibility.ts";

describe("compareVersions", () => {
  it.each([
    ["4.10.0", "4.9.1", 1],
    ["4.2.0", "4.2.0", 0],
    ["4.2", "4.2.0", 0],
    ["4.2.0-rc1", "4.2.0", -1],
    ["4.2.0-rc10", "4.2.0-rc9", 1],
    ["1.0.0+build7", "1.0.0", 0],
    ["2.0.0b", "2.0.0a", 1],
  ])("%s vs %s → %i", (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});

describe("skipReason", () => {
  const rule = { deviceTypes: ["pos_terminal"], minCurrentVersion: "4.0.0", version: "4.2.0" };
  it("lets a compatible device on an older version through", () => {
    expect(skipReason(rule, { deviceType: "pos_terminal", installed: "4.1.0" })).toBeNull();
  });
  it("names why a device is skipped", () => {
    expect(skipReason(rule, { deviceType: "kiosk", installed: "4.1.0" })).toMatch(/device type kiosk/);
    expect(skipReason(rule, { deviceType: "pos_terminal", installed: "4.2.0" })).toBe("already on 4.2.0");
    expect(skipReason(rule, { deviceType: "pos_terminal", installed: "3.9.9" })).toMatch(/needs 4.0.0 or later/);
    expect(skipReason(rule, { deviceType: "pos_terminal", installed: null })).toMatch(/reports no version/);
    expect(
      skipReason({ ...rule, minCurrentVersion: null, deviceTypes: [] }, { deviceType: "x", installed: null }),
    ).toBeNull();
  });
  it("skips a device of another OS family, or one that never said, only when the release names families", () => {
    const linuxOnly = { ...rule, osFamilies: ["linux"] };
    const device = { deviceType: "pos_terminal", installed: "4.1.0" };
    expect(skipReason(linuxOnly, { ...device, osFamily: "linux" })).toBeNull();
    expect(skipReason(linuxOnly, { ...device, osFamily: "windows" })).toBe(
      "incompatible: OS family windows is not one of linux",
    );
    expect(skipReason(linuxOnly, { ...device, osFamily: null })).toMatch(
      /needs OS family linux, the device reports none/,
    );
    expect(skipReason(rule, { ...device, osFamily: "windows" })).toBeNull();
  });
});
