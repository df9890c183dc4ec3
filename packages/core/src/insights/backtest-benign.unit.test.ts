import { describe, expect, it } from "vitest";
import type { BenignEvent } from "../simulator/benign-events.ts";
import type { FaultRecord } from "../simulator/fleet.ts";
import { nearestEvent } from "./backtest-benign.ts";

const t = (hhmm: string) => new Date(`2026-01-05T${hhmm}:00.000Z`);
const events: BenignEvent[] = [
  { kind: "config_blip", siteId: "s1", deviceId: "a", at: t("12:00"), until: t("12:02") },
  { kind: "opening_rush", siteId: "s1", deviceId: null, at: t("14:00"), until: t("14:40") },
  { kind: "planned_restart", siteId: "s2", deviceId: "c", at: t("12:10"), until: t("12:15") },
];
const faults: FaultRecord[] = [
  { deviceId: "b", kind: "memory_leak", injectedAt: t("15:00"), options: {}, failedAt: t("15:50") },
];
const siteOf = (id: string) => (id === "c" ? "s2" : "s1");
const near = (deviceId: string, hhmm: string) =>
  nearestEvent({ deviceId, at: t(hhmm).getTime() }, events, faults, siteOf);

describe("the event nearest to a false alarm", () => {
  it("is the closest event that touched the device: its own, its site's, or its fault", () => {
    expect(near("a", "12:20")).toMatchObject({ kind: "config_blip", minutes_after_start: 20 });
    // Inside the rush: distance 0 beats the config blip's two hours.
    expect(near("a", "14:30")).toMatchObject({ kind: "opening_rush", minutes_after_start: 30 });
    // Device b never had the config blip; before its fault it is nearest to the site's rush, then to its fault.
    expect(near("b", "12:20")).toMatchObject({ kind: "opening_rush", minutes_after_start: -100 });
    expect(near("b", "14:55")).toMatchObject({ kind: "fault:memory_leak", until: t("15:50").toISOString() });
    // Device c's site had no rush: only its own restart is near.
    expect(near("c", "14:30")).toMatchObject({ kind: "planned_restart", minutes_after_start: 140 });
  });

  it("is null when nothing touched the device", () => {
    expect(nearestEvent({ deviceId: "z", at: t("12:00").getTime() }, events, faults, () => "s9")).toBeNull();
  });
});
