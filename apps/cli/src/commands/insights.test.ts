import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../testing.ts";
import { formatSeedsReport } from "./insights/backtest-seeds.ts";

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
    const seeds = await runCli(["insights", "backtest", "--seeds", "9-3"]);
    expect(seeds.code).toBe(2);
    expect(seeds.stderr).toContain("--seeds");
  });

  it("backtest --seeds runs each seed and reports per seed, per method (mean and worst) and per fault kind", async () => {
    const args = ["insights", "backtest", "--devices", "2", "--hours", "4", "--kinds", "cpu_runaway", "-q"];
    const res = await runCli([...args, "--seeds", "3,4", "--json"]);
    expect(res.code).toBe(0);
    const r = JSON.parse(res.stdout);
    expect(r.seeds).toEqual([3, 4]);
    expect(r.per_seed.map((s: { faults: number }) => s.faults)).toEqual([1, 1]);
    expect(r.by_kind.cpu_runaway.faults).toBe(2);
    expect(r.aggregate.combined.recall).toHaveProperty("worst");
    // Each false alarm is listed (with its method, device, time, score and nearest event) and counted by cause.
    expect(Array.isArray(r.false_alarms)).toBe(true);
    const counted = Object.values(r.false_alarm_causes as Record<string, { alarms: number }>);
    expect(counted.reduce((n, c) => n + c.alarms, 0)).toBe(
      r.false_alarms.filter((a: { method: string }) => a.method === "combined").length,
    );
    expect(r.false_alarms.filter((a: { method: string }) => a.method === "combined").length).toBe(
      r.aggregate.combined.false_alarms,
    );
    const text = formatSeedsReport(r, "homepot insights backtest --seeds 3,4");
    expect(text).toContain("recall_worst");
    expect(text).toMatch(/cpu_runaway +2 +2 /);
    expect(text).toContain("Goals over the seeds");
  }, 240_000);

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

  it("nab scores the detector on a NAB-layout corpus, writes NAB's results layout and refuses a missing corpus", async () => {
    const dir = mkdtempSync(join(tmpdir(), "homepot-nab-"));
    mkdirSync(join(dir, "data", "realTest"), { recursive: true });
    mkdirSync(join(dir, "labels"));
    const start = Date.UTC(2026, 0, 1);
    const at = (i: number) => new Date(start + i * 300_000).toISOString().slice(0, 19).replace("T", " ");
    const rows = Array.from({ length: 2000 }, (_, i) => `${at(i)},${i === 1600 ? 500 : 50 + (i % 7)}`);
    writeFileSync(join(dir, "data", "realTest", "spike.csv"), `timestamp,value\n${rows.join("\n")}\n`);
    writeFileSync(
      join(dir, "labels", "combined_windows.json"),
      JSON.stringify({ "realTest/spike.csv": [[`${at(1550)}.000000`, `${at(1650)}.000000`]] }),
    );
    writeFileSync(
      join(dir, "profiles.json"),
      JSON.stringify({ standard: { CostMatrix: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1, tnWeight: 1 } } }),
    );
    const out = join(dir, "results");
    const res = await runCli(["insights", "nab", "--data", dir, "--out", out, "--json"]);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report.data).toMatchObject({ files: 1, rows: 2000, windows: 1 });
    expect(report.scores.standard).toBeGreaterThan(90);
    const csv = readFileSync(join(out, "homepot", "realTest", "homepot_spike.csv"), "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toBe("timestamp,value,anomaly_score");
    expect(csv).toHaveLength(2001);
    expect(csv[1601]?.startsWith(`${at(1600)},500,`)).toBe(true);
    const missing = await runCli(["insights", "nab", "--data", join(dir, "nowhere")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--data");
  });
});
