import { describe, expect, it } from "vitest";
import { analyzeErrorPatterns, type ErrorEvent } from "./error-patterns.ts";

const DAY = 24 * 3_600_000;
const FROM = Date.UTC(2026, 0, 5);
const TO = FROM + 7 * DAY;
const ev = (at: number, code: string, deviceId = "pos-1"): ErrorEvent => ({
  at,
  category: "device",
  severity: "error",
  code,
  deviceId,
  siteId: "site-1",
});

describe("error patterns", () => {
  it("groups by each dimension and flags recurring and rising", () => {
    const events: ErrorEvent[] = [];
    // A daily gateway timeout at 14:00 every day: recurring, flat.
    for (let d = 0; d < 7; d++) events.push(ev(FROM + d * DAY + 14 * 3_600_000, "GW_TIMEOUT"));
    // Disk errors only in the last two days, 6 of them: rising, on 2 days only.
    for (let i = 0; i < 6; i++) events.push(ev(FROM + 5 * DAY + i * 6 * 3_600_000, "DISK_LOW", "pos-2"));
    const r = analyzeErrorPatterns(events, FROM, TO);
    expect(r.total).toBe(13);
    const gw = r.patterns.code.find((p) => p.key === "GW_TIMEOUT");
    expect(gw?.count).toBe(7);
    expect(gw?.recurring).toBe(true);
    expect(gw?.rising).toBe(false);
    const disk = r.patterns.code.find((p) => p.key === "DISK_LOW");
    expect(disk?.earlier).toBe(0);
    expect(disk?.later).toBe(6);
    expect(disk?.rise_z).toBeCloseTo(6 / Math.sqrt(6), 2);
    expect(disk?.rising).toBe(true);
    expect(disk?.recurring).toBe(false);
    expect(r.patterns.device.map((p) => p.key)).toEqual(["pos-1", "pos-2"]);
    expect(r.patterns.hour_of_week.find((p) => p.key === "Mon 14:00")?.count).toBe(1);
    expect(r.patterns.category[0]?.share).toBe(1);
  });
});
