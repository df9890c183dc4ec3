import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { STREAMING_MODEL_CARD } from "./model-card.ts";
import { runNab } from "./nab/run-nab.ts";

const nabDir = process.env.HOMEPOT_NAB_DIR ?? fileURLToPath(new URL("../../../../../shared/nab", import.meta.url));

describe("the streaming detector's model card", () => {
  it("quotes the NAB scores the detector measures now on the whole corpus", () => {
    const report = runNab({ dataDir: nabDir });
    expect(report.data).toMatchObject({ files: 58, rows: 365_558, windows: 116 });
    for (const [profile, score] of Object.entries(STREAMING_MODEL_CARD.nab.scores))
      expect(report.scores[profile], profile).toBeCloseTo(score, 2);
  }, 60_000);
});
