import { describe, expect, it } from "vitest";
import { runCli } from "../testing.ts";

describe("homepot insights", () => {
  it("rejects bad arguments with exit 2 and names them", async () => {
    expect((await runCli(["insights"])).code).toBe(2);
    const sub = await runCli(["insights", "forecast"]);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain("unknown subcommand");
    const devices = await runCli(["insights", "backtest", "--devices", "1"]);
    expect(devices.code).toBe(2);
    expect(devices.stderr).toContain("--devices");
    const kinds = await runCli(["insights", "backtest", "--kinds", "memory_leak,meteor"]);
    expect(kinds.code).toBe(2);
    expect(kinds.stderr).toContain("meteor");
  });

  it("backtest --json prints the scored result of a real simulated run", async () => {
    const res = await runCli([
      "insights",
      "backtest",
      "--devices",
      "2",
      "--hours",
      "4",
      "--seed",
      "5",
      "--kinds",
      "memory_leak",
      "--json",
      "-q",
    ]);
    expect(res.code).toBe(0);
    const r = JSON.parse(res.stdout);
    expect(r.config.devices).toBe(2);
    expect(r.faults).toHaveLength(1);
    expect(r.faults[0].kind).toBe("memory_leak");
    expect(r.data.reports).toBeGreaterThan(2 * 4 * 60 * 0.9);
    expect(r.scores.combined).toHaveProperty("recall");
  }, 120_000);
});
