import { describe, expect, it } from "vitest";
import { formatLogLine, prettyLogs, shutdownSummary, startupSummary } from "./console-output.ts";

const facts = {
  address: "http://127.0.0.1:8000",
  dataDir: "/srv/homepot",
  driver: "pglite",
  pgPort: 5433,
  adminEmail: undefined,
  hasAdmin: false,
  noAdminHint: "No admin yet. Create one: `npx homepot user create --role admin`",
  prettyLogs: false,
};

describe("console output", () => {
  it("start-up summary: URL, docs, data dir, how to sign in as admin, how to stop", () => {
    const text = startupSummary(facts);
    expect(text).toContain("HOMEPOT is running at http://127.0.0.1:8000/");
    expect(text).toContain("http://127.0.0.1:8000/docs");
    expect(text).toContain("embedded PostgreSQL in /srv/homepot");
    expect(text).toContain("No admin yet. Create one");
    expect(text).toContain("Ctrl-C");
    expect(text).toContain("JSON lines on stdout");
    expect(startupSummary({ ...facts, prettyLogs: true })).toContain("readable lines");
    expect(startupSummary({ ...facts, adminEmail: "boss@example.com", hasAdmin: true })).toContain(
      "sign in as boss@example.com",
    );
    const pg = startupSummary({ ...facts, driver: "postgres", pgPort: null, hasAdmin: true });
    expect(pg).toContain("PostgreSQL (DATABASE_URL); secrets in /srv/homepot");
    expect(pg).not.toContain("No admin yet");
    expect(shutdownSummary("SIGINT", true)).toBe("HOMEPOT stopped (SIGINT).");
    expect(shutdownSummary("SIGTERM", false)).toMatch(/stopped \(SIGTERM\) with errors/);
  });

  it("pretty log lines for people, JSON left for machines", () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 10, 27, 15, 4, 5),
      pid: 1,
      hostname: "h",
      msg: "bootstrap admin: created",
      email: "a@example.com",
      count: 2,
    });
    expect(formatLogLine(line)).toBe("15:04:05 WARN  bootstrap admin: created  email=a@example.com count=2");
    expect(formatLogLine(line, true)).toContain("\x1b[33mWARN \x1b[0m");
    const error = JSON.stringify({ level: 50, time: 0, msg: "boom", err: { message: "x", stack: "Error: x\n  at y" } });
    expect(formatLogLine(error)).toBe("00:00:00 ERROR boom\nError: x\n  at y");
    expect(formatLogLine("not json")).toBe("not json");
    expect(prettyLogs("auto", true)).toBe(true);
    expect(prettyLogs("auto", false)).toBe(false);
    expect(prettyLogs("json", true)).toBe(false);
    expect(prettyLogs("pretty", false)).toBe(true);
  });
});
