import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runNab } from "./run-nab.ts";

// The corpus ships beside the repository (../shared/nab); CI has it, so a missing corpus fails rather than skips.
const nabDir = process.env.HOMEPOT_NAB_DIR ?? fileURLToPath(new URL("../../../../../../shared/nab", import.meta.url));

describe("the detector on the Numenta Anomaly Benchmark", () => {
  it("keeps its score on a fixed quarter of the corpus (every 4th series) and writes NAB's results layout", () => {
    expect(existsSync(join(nabDir, "labels", "combined_windows.json")), `NAB corpus expected at ${nabDir}`).toBe(true);
    // The fixed subset: every 4th series in sorted "category/file" order (not chosen by score).
    const sorted = readdirSync(join(nabDir, "data"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
      .flatMap((c) =>
        readdirSync(join(nabDir, "data", c))
          .filter((f) => f.endsWith(".csv"))
          .sort()
          .map((f) => `${c}/${f}`),
      );
    expect(sorted).toHaveLength(58);
    const files = sorted.filter((_, i) => i % 4 === 0);
    const out = mkdtempSync(join(tmpdir(), "homepot-nab-"));
    const report = runNab({ dataDir: nabDir, outDir: out, files });
    expect(report.data).toMatchObject({ files: 15, rows: 91_520 });
    // Measured on this subset when the detector changed (72.2 / 61.8 / 78.3); a regression fails here.
    expect(report.scores.standard).toBeGreaterThanOrEqual(72);
    expect(report.scores.reward_low_FP_rate).toBeGreaterThanOrEqual(61.5);
    expect(report.scores.reward_low_FN_rate).toBeGreaterThanOrEqual(78);
    const written = readdirSync(join(out, "homepot"), { recursive: true }).filter((f) => String(f).endsWith(".csv"));
    expect(written).toHaveLength(15);
    const first = readFileSync(join(out, "homepot", "artificialNoAnomaly", "homepot_art_daily_no_noise.csv"), "utf8");
    expect(first.split("\n")[0]).toBe("timestamp,value,anomaly_score");
  }, 60_000);
});
