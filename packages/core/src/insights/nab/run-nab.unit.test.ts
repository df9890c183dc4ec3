import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runNab } from "./run-nab.ts";

// The corpus ships beside the repository (../shared/nab); CI has it, so a missing corpus fails rather than skips.
const nabDir = process.env.HOMEPOT_NAB_DIR ?? fileURLToPath(new URL("../../../../../../shared/nab", import.meta.url));

describe("the detector on the Numenta Anomaly Benchmark", () => {
  it("scores the whole corpus at least as well as the figures README quotes, and writes every result file", () => {
    expect(existsSync(join(nabDir, "labels", "combined_windows.json")), `NAB corpus expected at ${nabDir}`).toBe(true);
    const out = mkdtempSync(join(tmpdir(), "homepot-nab-"));
    const report = runNab({ dataDir: nabDir, outDir: out });
    expect(report.data).toMatchObject({ files: 58, rows: 365_558, windows: 116 });
    expect(report.scores.standard).toBeGreaterThanOrEqual(56);
    expect(report.scores.reward_low_FP_rate).toBeGreaterThanOrEqual(43);
    expect(report.scores.reward_low_FN_rate).toBeGreaterThanOrEqual(62);
    const written = readdirSync(join(out, "homepot"), { recursive: true }).filter((f) => String(f).endsWith(".csv"));
    expect(written).toHaveLength(58);
  }, 120_000);
});
