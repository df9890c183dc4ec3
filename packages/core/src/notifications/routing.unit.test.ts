import { describe, expect, it } from "vitest";
import type { ChannelRow } from "./channel.repository.ts";
import { releaseTime } from "./routing.ts";

const channel = (quiet: { start: string; end: string; timezone?: string }): ChannelRow =>
  ({
    quietStart: quiet.start,
    quietEnd: quiet.end,
    quietTimezone: quiet.timezone ?? null,
    digestMinutes: 0,
  }) as ChannelRow;
const release = (ch: ChannelRow, at: string, siteZone?: string) =>
  releaseTime(ch, new Date(at), siteZone).toISOString();

describe("quiet hours on a local wall clock", () => {
  const berlin = channel({ start: "22:00", end: "07:00", timezone: "Europe/Berlin" });

  it("hold a message until 07:00 local across the spring-forward night (the night is an hour shorter)", () => {
    // 23:00 CET on 28 March 2026; clocks jump 02:00 → 03:00; 07:00 CEST is 05:00 UTC.
    expect(release(berlin, "2026-03-28T22:00:00.000Z")).toBe("2026-03-29T05:00:00.000Z");
    expect(release(berlin, "2026-03-29T04:59:00.000Z")).toBe("2026-03-29T05:00:00.000Z");
    // 08:00 CEST is not quiet, though 06:00 UTC would be inside 22:00–07:00 UTC.
    expect(release(berlin, "2026-03-29T06:00:00.000Z")).toBe("2026-03-29T06:00:00.000Z");
  });

  it("and across the fall-back night (an hour longer)", () => {
    // 23:00 CEST on 24 October 2026; clocks go back 03:00 → 02:00; 07:00 CET is 06:00 UTC.
    expect(release(berlin, "2026-10-24T21:00:00.000Z")).toBe("2026-10-25T06:00:00.000Z");
    // 02:30 happens twice that night: both are quiet, both held until 07:00 CET.
    expect(release(berlin, "2026-10-25T00:30:00.000Z")).toBe("2026-10-25T06:00:00.000Z");
    expect(release(berlin, "2026-10-25T01:30:00.000Z")).toBe("2026-10-25T06:00:00.000Z");
  });

  it("without a zone of their own follow the alert's site, else UTC", () => {
    const ch = channel({ start: "22:00", end: "06:00" });
    // 22:00 EST on 7 March 2026; US clocks spring forward at 02:00; 06:00 EDT is 10:00 UTC.
    expect(release(ch, "2026-03-08T03:00:00.000Z", "America/New_York")).toBe("2026-03-08T10:00:00.000Z");
    expect(release(ch, "2026-03-08T03:00:00.000Z")).toBe("2026-03-08T06:00:00.000Z");
    expect(release(ch, "2026-03-08T12:00:00.000Z", "America/New_York")).toBe("2026-03-08T12:00:00.000Z");
  });

  it("ending at a time the change skips release an hour later, never inside the quiet hours", () => {
    const ch = channel({ start: "01:00", end: "02:30", timezone: "Europe/Berlin" });
    // 01:30 CET; 02:30 does not exist that night; 03:30 CEST is 01:30 UTC.
    expect(release(ch, "2026-03-29T00:30:00.000Z")).toBe("2026-03-29T01:30:00.000Z");
  });
});
