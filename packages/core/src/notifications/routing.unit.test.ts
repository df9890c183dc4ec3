import { describe, expect, it } from "vitest";
import type { ChannelRow } from "./channel.repository.ts";
import { releaseTime } from "./routing.ts";

const channel = (quiet: { start: string; end: string; timezone?: string }): ChannelRow =>
  ({
    quietStart: quiet.start,
    quietEnd: quiet.end,
    timezone: quiet.timezone ?? null,
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

describe("digest slots from local midnight", () => {
  const digest = (minutes: number, timezone: string | null = null): ChannelRow =>
    ({ quietStart: null, quietEnd: null, timezone: timezone, digestMinutes: minutes }) as ChannelRow;

  it("a daily digest goes out at midnight in the channel's time zone, not at midnight UTC", () => {
    // 13:00 CET on 10 March 2026: the next local midnight is 23:00 UTC.
    expect(release(digest(1440, "Europe/Berlin"), "2026-03-10T12:00:00.000Z")).toBe("2026-03-10T23:00:00.000Z");
    // Without a zone of the channel's own: the alert's site's (00:00 EDT is 04:00 UTC), else UTC.
    expect(release(digest(1440), "2026-03-10T12:00:00.000Z", "America/New_York")).toBe("2026-03-11T04:00:00.000Z");
    expect(release(digest(1440), "2026-03-10T12:00:00.000Z")).toBe("2026-03-11T00:00:00.000Z");
    // A 90-minute digest in India (UTC+05:30): slots at 00:00, 01:30, … IST, i.e. 18:30, 20:00, … UTC.
    expect(release(digest(90, "Asia/Kolkata"), "2026-03-10T18:45:00.000Z")).toBe("2026-03-10T20:00:00.000Z");
    // At a slot exactly, it goes now.
    expect(release(digest(1440, "Europe/Berlin"), "2026-03-10T23:00:00.000Z")).toBe("2026-03-10T23:00:00.000Z");
  });

  it("across the spring-forward day: the slots stay on the local clock, the one around 02:00 an hour shorter", () => {
    const berlin = digest(480, "Europe/Berlin");
    // 29 March 2026: 00:00 CET is 23:00 UTC on the 28th; 08:00 and 16:00 CEST are 06:00 and 14:00 UTC.
    expect(release(berlin, "2026-03-28T23:30:00.000Z")).toBe("2026-03-29T06:00:00.000Z");
    expect(release(berlin, "2026-03-29T06:10:00.000Z")).toBe("2026-03-29T14:00:00.000Z");
    expect(release(berlin, "2026-03-29T16:00:00.000Z")).toBe("2026-03-29T22:00:00.000Z");
    expect(release(digest(1440, "Europe/Berlin"), "2026-03-29T12:00:00.000Z")).toBe("2026-03-29T22:00:00.000Z");
    // An hourly digest: 02:00 does not exist that night, 01:30 CET waits for 03:00 CEST (01:00 UTC).
    expect(release(digest(60, "Europe/Berlin"), "2026-03-29T00:30:00.000Z")).toBe("2026-03-29T01:00:00.000Z");
  });

  it("across the fall-back day: midnight is 23:00 UTC again, the day 25 hours long", () => {
    const berlin = digest(480, "Europe/Berlin");
    // 25 October 2026: 00:00 CEST is 22:00 UTC on the 24th; 08:00 and 16:00 CET are 07:00 and 15:00 UTC.
    expect(release(berlin, "2026-10-24T22:30:00.000Z")).toBe("2026-10-25T07:00:00.000Z");
    expect(release(berlin, "2026-10-25T16:00:00.000Z")).toBe("2026-10-25T23:00:00.000Z");
    expect(release(digest(1440, "Europe/Berlin"), "2026-10-25T12:00:00.000Z")).toBe("2026-10-25T23:00:00.000Z");
    // The second 02:30 (CET, 01:30 UTC) of an hourly digest waits for 03:00 CET (02:00 UTC).
    expect(release(digest(60, "Europe/Berlin"), "2026-10-25T01:30:00.000Z")).toBe("2026-10-25T02:00:00.000Z");
  });

  it("quiet hours come first: a message held until their end goes out then", () => {
    const ch = { ...digest(60, "Europe/Berlin"), quietStart: "22:00", quietEnd: "07:00" } as ChannelRow;
    expect(release(ch, "2026-03-10T22:10:00.000Z")).toBe("2026-03-11T06:00:00.000Z");
    expect(release(ch, "2026-03-11T08:10:00.000Z")).toBe("2026-03-11T09:00:00.000Z");
  });
});
